/*
 * mqtt-pair/restart: the native half of restart.js. Resets the chip, as MicroPython's
 * machine.reset() does. Built only for the esp and esp32 platforms (see manifest.json).
 */

#include "xsmc.h"

#if ESP32
	#include "esp_system.h"
#elif defined(__ets__)
	#include "user_interface.h"
#endif

void xs_mqttpair_restart(xsMachine *the)
{
#if ESP32
	esp_restart();			/* does not return */
#elif defined(__ets__)
	system_restart();		/* the ESP8266 SDK resets once control goes back to it */
	xsmcSetTrue(xsResult);
#else
	xsmcSetFalse(xsResult);	/* nothing to reset */
#endif
}

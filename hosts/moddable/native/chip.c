/*
 * mqtt-pair/chip on the boards: the native half of chip.js. Built only for the esp and esp32
 * platforms (see manifest.json).
 */

#include "xsmc.h"
#include "xsHost.h"

#include "modGPIO.h"

#if ESP32
	#include "esp_system.h"
	#include "driver/uart.h"
#elif defined(__ets__)
	#include "user_interface.h"
#endif

/* Resets the chip, as MicroPython's machine.reset() does. */
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

/*
 * One line for a serial monitor at 115200 baud, as MicroPython's print(). A release build
 * (mcconfig without -d or -i) sends trace() nowhere on an ESP32 and at 921600 baud on an
 * ESP8266, so there the line is written to UART 0 here and the result is true. A debug build
 * keeps the port for xsbug and an instrumented one prints trace() itself: false, trace it.
 */
#if ESP32 && !defined(mxDebug) && !defined(mxInstrument)
	/* UART 0's pins, the ones the board's USB serial chip is wired to */
	#if ESP32 == 2 || ESP32 == 3		/* esp32s2, esp32s3 */
		#define CONSOLE_TX 43
		#define CONSOLE_RX 44
	#elif ESP32 == 4					/* esp32c3 */
		#define CONSOLE_TX 21
		#define CONSOLE_RX 20
	#elif ESP32 == 5					/* esp32c6 */
		#define CONSOLE_TX 16
		#define CONSOLE_RX 17
	#elif ESP32 == 6					/* esp32h2 */
		#define CONSOLE_TX 24
		#define CONSOLE_RX 23
	#else								/* esp32 */
		#define CONSOLE_TX 1
		#define CONSOLE_RX 3
	#endif

static void consoleInit(void)
{
	static uint8_t ready = 0;
	if (!ready) {
		uart_config_t config = {0};
		config.baud_rate = 115200;
		config.data_bits = UART_DATA_8_BITS;
		config.parity = UART_PARITY_DISABLE;
		config.stop_bits = UART_STOP_BITS_1;
		config.flow_ctrl = UART_HW_FLOWCTRL_DISABLE;
		config.source_clk = UART_SCLK_DEFAULT;
		/* no one else has: debugger_none.c. Room for a whole Improv frame between two reads. */
		uart_driver_install(UART_NUM_0, 1024, 0, 0, NULL, 0);
		uart_param_config(UART_NUM_0, &config);
		uart_set_pin(UART_NUM_0, CONSOLE_TX, CONSOLE_RX, UART_PIN_NO_CHANGE, UART_PIN_NO_CHANGE);
		ready = 1;
	}
}

static void consoleWrite(const char *text, size_t length)
{
	consoleInit();
	uart_write_bytes(UART_NUM_0, text, length);
	uart_write_bytes(UART_NUM_0, "\r\n", 2);
}

static void consoleWriteBytes(const uint8_t *bytes, size_t length)
{
	consoleInit();
	uart_write_bytes(UART_NUM_0, (const char *)bytes, length);
}

/* What UART 0 received since the last call, at most `size` bytes. */
static int consoleRead(uint8_t *buffer, int size)
{
	size_t available = 0;
	consoleInit();
	if ((ESP_OK != uart_get_buffered_data_len(UART_NUM_0, &available)) || !available)
		return 0;
	if ((int)available > size)
		available = size;
	return uart_read_bytes(UART_NUM_0, buffer, available, 0);
}
#elif defined(__ets__) && !defined(mxDebug) && !defined(mxInstrument)
static void consoleInit(void)
{
	static uint8_t ready = 0;
	if (!ready) {
		ESP_setBaud(115200);	/* the SDK opens UART 0 at 921600 */
		ready = 1;
	}
}

static void consoleWrite(const char *text, size_t length)
{
	consoleInit();
	ESP_put((uint8_t *)text, (int)length);
	ESP_putc(13);
	ESP_putc(10);
}

static void consoleWriteBytes(const uint8_t *bytes, size_t length)
{
	consoleInit();
	ESP_put((uint8_t *)bytes, (int)length);
}

/* What UART 0 received since the last call (the SDK keeps 128 bytes), at most `size` bytes. */
static int consoleRead(uint8_t *buffer, int size)
{
	int count = 0;
	consoleInit();
	while ((count < size) && ESP_isReadable()) {
		int c = ESP_getc();
		if (c < 0)
			break;
		buffer[count++] = (uint8_t)c;
	}
	return count;
}
#else
	#define NO_CONSOLE 1
#endif

void xs_mqttpair_serial_line(xsMachine *the)
{
#ifdef NO_CONSOLE
	xsmcSetFalse(xsResult);
#else
	const char *text = xsmcToString(xsArg(0));
	consoleWrite(text, c_strlen(text));
	xsmcSetTrue(xsResult);
#endif
}

/*
 * The USB serial port for setup (Improv), in a release build, where the port is the console's:
 * serialRead() returns what came since the last call (an ArrayBuffer) or undefined, and
 * serialWrite(buffer) writes it and returns true. Elsewhere (a debug build's port is xsbug's)
 * both do nothing, and serialWrite returns false.
 */
void xs_mqttpair_serial_read(xsMachine *the)
{
#ifndef NO_CONSOLE
	uint8_t buffer[256];
	int count = consoleRead(buffer, sizeof(buffer));
	if (count > 0)
		xsmcSetArrayBuffer(xsResult, buffer, count);
#endif
}

void xs_mqttpair_serial_write(xsMachine *the)
{
#ifdef NO_CONSOLE
	xsmcSetFalse(xsResult);
#else
	void *data;
	xsUnsignedValue count;
	xsmcGetBufferReadable(xsArg(0), &data, &count);
	if (count)
		consoleWriteBytes((const uint8_t *)data, count);
	xsmcSetTrue(xsResult);
#endif
}

/*
 * The BOOT button (GPIO 0; GPIO 9 on the ESP32-C3, -C6 and -H2), read with the internal pull-up:
 * 1 when pressed, 0 when not.
 */
#if ESP32 == 4 || ESP32 == 5 || ESP32 == 6
	#define BOOT_BUTTON 9
#else
	#define BOOT_BUTTON 0
#endif

void xs_mqttpair_boot_button(xsMachine *the)
{
	modGPIOConfigurationRecord config;
	int pressed = 0;
	if (0 == modGPIOInit(&config, NULL, BOOT_BUTTON, kModGPIOInputPullUp)) {
		pressed = 0 == modGPIORead(&config);
		modGPIOUninit(&config);
	}
	xsmcSetInteger(xsResult, pressed);
}

/* The chip family, as ESP Web Tools names it (Improv's device info). */
void xs_mqttpair_chip_family(xsMachine *the)
{
#if ESP32 == 2
	xsmcSetString(xsResult, "ESP32-S2");
#elif ESP32 == 3
	xsmcSetString(xsResult, "ESP32-S3");
#elif ESP32 == 4
	xsmcSetString(xsResult, "ESP32-C3");
#elif ESP32 == 5
	xsmcSetString(xsResult, "ESP32-C6");
#elif ESP32 == 6
	xsmcSetString(xsResult, "ESP32-H2");
#elif ESP32
	xsmcSetString(xsResult, "ESP32");
#elif defined(__ets__)
	xsmcSetString(xsResult, "ESP8266");
#else
	xsmcSetString(xsResult, "unknown");
#endif
}

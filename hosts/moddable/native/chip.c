/*
 * mqtt-pair/chip on the boards: the native half of chip.js. Built only for the esp and esp32
 * platforms (see manifest.json). test/native-compile.test.mjs compiles it for every branch below
 * against test/fixtures/native-decls/, which declares each call as the real headers do.
 *
 * What it calls, and where that is declared:
 * - ESP-IDF v6.0 (what Moddable SDK 8.2.3 expects): esp_restart (components/esp_system/include/
 *   esp_system.h); uart_driver_install, uart_param_config, uart_set_pin, uart_write_bytes,
 *   uart_get_buffered_data_len, uart_read_bytes (components/esp_driver_uart/include/driver/uart.h);
 *   usb_serial_jtag_driver_install, usb_serial_jtag_write_bytes, usb_serial_jtag_read_bytes
 *   (components/esp_driver_usb_serial_jtag/include/driver/usb_serial_jtag.h).
 * - ESP8266 NONOS SDK 2.x: system_restart (include/user_interface.h).
 * - Moddable SDK 8.2.3: ESP_put, ESP_putc, ESP_getc, ESP_isReadable, ESP_setBaud, c_strlen
 *   (xs/platforms/esp/xsHost.h); modGPIOInit, modGPIORead, modGPIOUninit
 *   (modules/pins/digital/esp32|esp/modGPIO.h); the xsmc macros (xs/includes/xsmc.h).
 *
 * Why these stay in C rather than the SDK's JavaScript:
 * - restart: the SDK's only JavaScript restart is System.restart in modules/io/system, which also
 *   sets the globals System and device and imports embedded:provider/builtin (all of ECMA-419's
 *   I/O) for three lines of C.
 * - the console and Improv: embedded:io/serial on the esp32 (modules/io/serial/esp32) drives a UART
 *   only; it has no USB-Serial-JTAG, the port of USE_USB 2.
 * - the BOOT button: embedded:io/digital could read it, but mcsim runs sim/chip.js, not this
 *   module's chip.js, so a move could not be tested off a board: left for later, with the
 *   pins/digital module our manifest already includes (modGPIO, its C half) meanwhile.
 * - the chip's family: a constant chosen at compile time (ESP32, __ets__); no SDK module says it.
 */

#include "xsmc.h"
#include "xsHost.h"

#include "modGPIO.h"

#if ESP32
	#include "esp_system.h"
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
 * ESP8266, so there the line is written to the board's USB port here and the result is true. A
 * debug build keeps the port for xsbug and an instrumented one prints trace() itself: false, trace
 * it.
 *
 * The USB port is the one the SDK's debugger uses for the same build (make.esp32.mk picks
 * debugger_uart.c, debugger_cdc.c or debugger_tinyusb.c by USE_USB, which the target's
 * manifest.json sets): USE_USB 2, the chip's USB-Serial-JTAG (esp32c3_cdc, esp32s3_cdc, C3
 * SuperMini …); 0, UART 0, wired to the board's USB-serial chip (CP2102, CH340). USE_USB 1,
 * TinyUSB's CDC-ACM on the USB-OTG port (esp32s3_usb, lolin_s2mini …), stops the build (below).
 * The SDK compiles modules without USE_USB and without usb_serial_jtag.h's folder:
 * hosts/moddable/native/usb.json adds both to C_INCLUDES, once the target's manifest has set
 * USE_USB; a target without one gives "undefined", which #if reads as 0, UART 0.
 */
#if ESP32 && !defined(mxDebug) && !defined(mxInstrument)
	#ifndef USE_USB
		#define USE_USB 0
	#endif

	#if USE_USB == 2
		#if ESP32 == 1 || ESP32 == 2
			#error "USE_USB 2: the ESP32 and the ESP32-S2 have no USB-Serial-JTAG"
		#endif
		#include "driver/usb_serial_jtag.h"
	#elif USE_USB == 1
		/* TinyUSB's headers (the esp_tinyusb managed component, tusb.h, tusb_config.h) are only on
		 * the include path of ESP-IDF's own components, not of a Moddable module's C, and their
		 * config struct changes with esp_tinyusb's version: one clear line rather than a guess. */
		#error "USE_USB 1 (TinyUSB CDC): not supported by mqtt-pair; on an ESP32-S3 build for esp32/esp32s3_cdc (USB-Serial-JTAG), see docs/flashing.md"
	#else
		#include "driver/uart.h"
	#endif

	#if USE_USB == 2
/* In a release build no one else has installed the driver (debugger_none.c). 1 when it is ours:
 * a driver that failed to install is not called again. */
static int consoleInit(void)
{
	static uint8_t ready = 0;
	if (!ready) {
		/* room for a whole Improv frame between two reads */
		usb_serial_jtag_driver_config_t config = {0};
		config.rx_buffer_size = 1024;
		config.tx_buffer_size = 512;
		ready = (ESP_OK == usb_serial_jtag_driver_install(&config)) ? 1 : 2;
	}
	return 1 == ready;
}

/* With no computer listening the bytes are dropped, not waited on (timeout 0). */
static void consoleSend(const uint8_t *bytes, size_t length)
{
	if (consoleInit())
		usb_serial_jtag_write_bytes(bytes, length, 0);
}

static int consoleRead(uint8_t *buffer, int size)
{
	if (!consoleInit())
		return 0;
	return usb_serial_jtag_read_bytes(buffer, (uint32_t)size, 0);
}
	#else
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

static void consoleSend(const uint8_t *bytes, size_t length)
{
	consoleInit();
	uart_write_bytes(UART_NUM_0, bytes, length);
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
	#endif

static void consoleWrite(const char *text, size_t length)
{
	consoleSend((const uint8_t *)text, length);
	consoleSend((const uint8_t *)"\r\n", 2);
}

static void consoleWriteBytes(const uint8_t *bytes, size_t length)
{
	consoleSend(bytes, length);
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

/*
 * mqtt-pair/chip on the boards: the native half of chip.js. Built only for the esp and esp32
 * platforms (see manifest.json). test/integration/native-compile.test.mjs compiles it for every branch below
 * against test/fixtures/native-decls/, which declares each call as the real headers do.
 *
 * Only what the Moddable SDK 8.2.3 has no JavaScript for stays here; chip.js takes the rest from
 * the SDK: restart from modules/io/system/system.c (xs_system_restart), the BOOT button from
 * embedded:io/digital (modules/io/digital).
 * - the console and Improv on the board's USB port: embedded:io/serial (modules/io/serial/esp32)
 *   drives the ESP32's UARTs only, with no USB-Serial-JTAG (USE_USB 2) nor TinyUSB CDC (USE_USB
 *   1). On UART 0 (USE_USB 0, and the ESP8266) it has one, but its write() (xs_serial_write, esp32
 *   and esp) puts bytes straight into the UART's 128-byte hardware FIFO and throws "output full"
 *   past it: every console line and Improv frame longer than that would need a queue in JavaScript,
 *   drained from onWritable, kept open from boot for the console (heap on an 80 KB ESP8266), where
 *   uart_write_bytes buffers in ESP-IDF's driver and ESP_put (the SDK's own console,
 *   build/devices/esp/main.cpp) waits for room. A debug build's port is xsbug's, a fact only C
 *   sees (mxDebug).
 * - the chip's family: a constant chosen at compile time (ESP32, __ets__); no SDK module says it,
 *   and mc/config does not expand the build's $(ESP32_SUBCLASS).
 *
 * What it calls, and where that is declared:
 * - ESP-IDF v6.0 (what Moddable SDK 8.2.3 expects): uart_driver_install, uart_param_config,
 *   uart_set_pin, uart_write_bytes, uart_get_buffered_data_len, uart_read_bytes
 *   (components/esp_driver_uart/include/driver/uart.h); usb_serial_jtag_driver_install,
 *   usb_serial_jtag_write_bytes, usb_serial_jtag_read_bytes
 *   (components/esp_driver_usb_serial_jtag/include/driver/usb_serial_jtag.h).
 * - esp_tinyusb 2.x (espressif/esp-usb device/esp_tinyusb, the managed component the SDK adds
 *   for USE_USB 1): tinyusb_driver_install, TINYUSB_DEFAULT_CONFIG (include/tinyusb.h,
 *   include/tinyusb_default_config.h); tinyusb_cdcacm_init, tinyusb_cdcacm_read,
 *   tinyusb_cdcacm_write_queue, tinyusb_cdcacm_write_flush (include/tinyusb_cdc_acm.h).
 * - Moddable SDK 8.2.3: ESP_put, ESP_putc, ESP_getc, ESP_isReadable, ESP_setBaud, c_strlen
 *   (xs/platforms/esp/xsHost.h; the ESP8266's UART 0); the xsmc macros (xs/includes/xsmc.h).
 */

#include "xsmc.h"
#include "xsHost.h"

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
 * SuperMini …); 1, TinyUSB's CDC-ACM on the USB-OTG port (esp32s3_usb, lolin_s2mini, qtpys3 …);
 * 0, UART 0, wired to the board's USB-serial chip (CP2102, CH340).
 * The SDK compiles modules without USE_USB and without these drivers' folders:
 * hosts/moddable/native/usb.json adds both to C_INCLUDES, once the target's manifest has set
 * USE_USB; a target without one gives "undefined", which #if reads as 0, UART 0. TinyUSB's folders
 * are those of the managed components idf.py fetches into the build's ESP-IDF project
 * (xsProj-<chip>/managed_components/, where mcmanifest.js points MANAGED_COMPONENT_DIRS too).
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
		#if ESP32 != 2 && ESP32 != 3
			#error "USE_USB 1: only the ESP32-S2 and the ESP32-S3 have USB-OTG for TinyUSB"
		#endif
		/* TinyUSB's own CMakeLists.txt (the espressif/tinyusb component) gives its users
		 * -DCFG_TUSB_MCU; a Moddable module is not one of them, so the same value is set here.
		 * The OPT_MCU_ names are defined by tusb_option.h, included below. */
		#ifndef CFG_TUSB_MCU
			#if ESP32 == 2
				#define CFG_TUSB_MCU OPT_MCU_ESP32S2
			#else
				#define CFG_TUSB_MCU OPT_MCU_ESP32S3
			#endif
		#endif
		#include "tinyusb.h"
		#include "tinyusb_cdc_acm.h"
		#include "tinyusb_default_config.h"
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
	#elif USE_USB == 1
/*
 * A release build has no TinyUSB driver but ours (Moddable SDK 8.2.3): without -d or -i,
 * xsProj-esp32s3/main/CMakeLists.txt line 50 (xsProj-esp32s2's, line 48) compiles debugger_none.c,
 * whose setupDebugger() does nothing; only debugger_tinyusb.c's (build/devices/esp32/lib/debugger/,
 * line 251, tinyusb_driver_install at line 253), compiled into debug and instrumented builds,
 * installs one, and there the port is xsbug's: this file then leaves it alone (mxDebug,
 * mxInstrument above). tools/mcmanifest.js adds the esp_tinyusb component to every USE_USB 1
 * build, release too (lines 1135 and 1153). The CDC-ACM's own receive FIFO (CONFIG_TINYUSB_CDC_RX_BUFSIZE, 512 by
 * default) keeps what arrives between two reads: no callback, no FIFO of ours. 1 when the driver
 * is ours, as for USB-Serial-JTAG.
 */
static int consoleInit(void)
{
	static uint8_t ready = 0;
	if (!ready) {
		const tinyusb_config_t usb = TINYUSB_DEFAULT_CONFIG();
		tinyusb_config_cdcacm_t acm = {0};
		acm.cdc_port = TINYUSB_CDC_ACM_0;
		ready = ((ESP_OK == tinyusb_driver_install(&usb)) && (ESP_OK == tinyusb_cdcacm_init(&acm))) ? 1 : 2;
	}
	return 1 == ready;
}

/* Queued, then sent without waiting (timeout 0): with no computer listening the queue fills and
 * what does not fit is dropped. */
static void consoleSend(const uint8_t *bytes, size_t length)
{
	if (!consoleInit())
		return;
	tinyusb_cdcacm_write_queue(TINYUSB_CDC_ACM_0, bytes, length);
	tinyusb_cdcacm_write_flush(TINYUSB_CDC_ACM_0, 0);
}

static int consoleRead(uint8_t *buffer, int size)
{
	size_t count = 0;
	if (!consoleInit() || (ESP_OK != tinyusb_cdcacm_read(TINYUSB_CDC_ACM_0, buffer, (size_t)size, &count)))
		return 0;
	return (int)count;
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

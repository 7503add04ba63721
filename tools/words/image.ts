// The words of `mqtt-pair image`'s errors (tools/image/): what is wrong with the teacher's build
// and the command that fixes it, in French and in English. File names, mcconfig's command line and
// the SDK's own names (flasher_args.json, ESPTOOL_FLASH_OPT, ESP_BASE) stay as they are typed.

import type { ImageCode, ImageError, ImageFacts } from '../image/problem';
import { cliLang } from './cli';

/** Each code's line, from its facts (tools/image/problem.ts). */
export type ImageWords = { [C in ImageCode]: (...facts: ImageFacts[C]) => string };

export const en: ImageWords = {
  badPlatform: (p) => `-p ${p}: the platforms are esp32, esp32/esp32c3, esp32/esp32s3 (any esp32/<board>) and esp`,
  onlyDebug: (p, output, make) =>
    `only a debug build (-d) of ${p} is in ${output}: it waits for xsbug on the serial port; build the class's image without -d: ${make}`,
  noBuild: (p, name, output, make) => `no ${p} build of ${name} in ${output}: build it first, from the repository's root: ${make}`,
  partMissing: (file, source, offset, make) => `${file}, which ${source} writes at ${offset}, is missing: the build did not finish; run ${make} again`,
  sdkPartMissing: (file, source, offset) => `${file}, which ${source} writes at ${offset}, is missing: check ESP_BASE (the ESP8266 SDK, as for mcconfig)`,
  noModdable8266: () => 'MODDABLE is not set: the ESP8266 image is flashed as $MODDABLE/tools/mcconfig/make.esp.mk says; set it as for mcconfig',
  noMakefile: (mk) => `${mk} is not found: set MODDABLE to the Moddable SDK that made the build`,
  noEspBase: () => "ESP_BASE is not set: the ESP8266's bootloader comes from its SDK, $ESP_BASE/ESP8266_RTOS_SDK; set ESP_BASE as for mcconfig -p esp",
  notOffset: (where, t) => `${where}: "${t}" is not a flash offset (e.g. 0x10000)`,
  notJson: (where) => `${where} is not JSON: build again with mcconfig`,
  noSettings: (where) => `${where} holds no settings: build again with mcconfig`,
  noFlashFiles: (where) => `${where} lists no flash_files: build again with mcconfig`,
  notFileName: (where, offset) => `${where}: flash_files["${offset}"] is not a file name`,
  noChip: (where) => `${where} does not name the chip (extra_esptool_args.chip), nor does project_description.json beside it: build again with mcconfig`,
  noInitOffset: (where, size) => `${where} gives no offset for esp_init_data_default.bin with FLASH_SIZE=${size}: build with FLASH_SIZE=4M or 1M`,
  noFlashOpt: (where) => `${where} has no ESPTOOL_FLASH_OPT: is it the Moddable SDK's make.esp.mk?`,
  unknownSetting: (where, setting) => `${where}: ESPTOOL_FLASH_OPT uses a setting not known here (${setting}): set ESP_BASE as for mcconfig`,
  noFileToFlash: (where) => `${where}: ESPTOOL_FLASH_OPT names no file to flash`,
};

export const fr: ImageWords = {
  badPlatform: (p) => `-p ${p} : les plateformes sont esp32, esp32/esp32c3, esp32/esp32s3 (toute esp32/<carte>) et esp`,
  onlyDebug: (p, output, make) =>
    `${output} ne contient qu’une compilation de débogage (-d) pour ${p} : elle attend xsbug sur le port série ; compilez l’image de la classe sans -d : ${make}`,
  noBuild: (p, name, output, make) => `aucune compilation ${p} de ${name} dans ${output} : compilez-la d’abord, depuis la racine du dépôt : ${make}`,
  partMissing: (file, source, offset, make) => `${file}, que ${source} écrit en ${offset}, manque : la compilation n’a pas abouti ; relancez ${make}`,
  sdkPartMissing: (file, source, offset) => `${file}, que ${source} écrit en ${offset}, manque : vérifiez ESP_BASE (le SDK de l’ESP8266, comme pour mcconfig)`,
  noModdable8266: () =>
    'MODDABLE n’est pas défini : l’image de l’ESP8266 s’écrit comme le dit $MODDABLE/tools/mcconfig/make.esp.mk ; définissez-le comme pour mcconfig',
  noMakefile: (mk) => `${mk} est introuvable : MODDABLE doit désigner le SDK Moddable qui a fait la compilation`,
  noEspBase: () =>
    'ESP_BASE n’est pas défini : le chargeur de démarrage de l’ESP8266 vient de son SDK, $ESP_BASE/ESP8266_RTOS_SDK ; définissez ESP_BASE comme pour mcconfig -p esp',
  notOffset: (where, t) => `${where} : « ${t} » n’est pas une adresse en flash (par exemple 0x10000)`,
  notJson: (where) => `${where} n’est pas du JSON : recompilez avec mcconfig`,
  noSettings: (where) => `${where} ne contient aucun réglage : recompilez avec mcconfig`,
  noFlashFiles: (where) => `${where} ne donne aucun flash_files : recompilez avec mcconfig`,
  notFileName: (where, offset) => `${where} : flash_files["${offset}"] n’est pas un nom de fichier`,
  noChip: (where) => `${where} ne nomme pas la puce (extra_esptool_args.chip), project_description.json à côté non plus : recompilez avec mcconfig`,
  noInitOffset: (where, size) => `${where} ne donne pas d’adresse pour esp_init_data_default.bin avec FLASH_SIZE=${size} : compilez avec FLASH_SIZE=4M ou 1M`,
  noFlashOpt: (where) => `${where} n’a pas de ESPTOOL_FLASH_OPT : est-ce bien le make.esp.mk du SDK Moddable ?`,
  unknownSetting: (where, setting) => `${where} : ESPTOOL_FLASH_OPT emploie un réglage inconnu ici (${setting}) : définissez ESP_BASE comme pour mcconfig`,
  noFileToFlash: (where) => `${where} : ESPTOOL_FLASH_OPT ne nomme aucun fichier à écrire`,
};

/** The table of the language the commands speak now (--lang, else the locale). */
export function imageWords(): ImageWords {
  return cliLang() === 'fr' ? fr : en;
}

/** An ImageError as the one line `mqtt-pair image` ends with. */
export function imageLine(e: ImageError, words: ImageWords = imageWords()): string {
  return (words[e.code] as (...facts: string[]) => string)(...(e.facts as string[]));
}

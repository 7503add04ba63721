// What can be wrong with the teacher's build, for `mqtt-pair image`, as a code and its facts (file
// names, offsets, mcconfig's command line): tools/image says which, the command words it in the
// teacher's language (tools/words/image.ts, imageLine).

import { UsageError } from '../usage-error';

/** Each code and the facts it carries, in order. */
export interface ImageFacts {
  badPlatform: [platform: string];
  onlyDebug: [platform: string, output: string, make: string];
  noBuild: [platform: string, name: string, output: string, make: string];
  /** A file the build writes is missing: it did not finish. */
  partMissing: [file: string, source: string, offset: string, make: string];
  /** A file of the ESP8266's SDK is missing. */
  sdkPartMissing: [file: string, source: string, offset: string];
  noModdable8266: [];
  noMakefile: [mk: string];
  noEspBase: [];
  notOffset: [where: string, text: string];
  notJson: [where: string];
  noSettings: [where: string];
  noFlashFiles: [where: string];
  notFileName: [where: string, offset: string];
  noChip: [where: string];
  noInitOffset: [where: string, flashSize: string];
  noFlashOpt: [where: string];
  unknownSetting: [where: string, setting: string];
  noFileToFlash: [where: string];
}

export type ImageCode = keyof ImageFacts;

/** An ImageProblem thrown: a UsageError whose line the command makes from its code and facts. */
export class ImageError<C extends ImageCode = ImageCode> extends UsageError {
  readonly facts: ImageFacts[C];
  constructor(
    readonly code: C,
    ...facts: ImageFacts[C]
  ) {
    super(`${code}: ${facts.join(' | ')}`);
    this.name = 'ImageError';
    this.facts = facts;
  }
}

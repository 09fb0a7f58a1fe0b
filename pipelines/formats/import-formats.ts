/** What `fea import` and the Import view read: a choice list of its own, so the contract and the renderer can name it. */
export const DATASET_FORMATS = ['fer2013', 'ferplus', 'affectnet', 'rafdb', 'disfa', 'au-csv'] as const;
export type DatasetFormat = (typeof DATASET_FORMATS)[number];

export const IMPORT_FORMATS = ['facial-r1', 'folders', ...DATASET_FORMATS] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];

/** What each format's input path names: a file, a folder, or either (a table or the folder holding it). */
export const IMPORT_INPUT_KINDS: Record<ImportFormat, 'file' | 'folder' | 'either'> = {
  'facial-r1': 'file',
  folders: 'folder',
  fer2013: 'either',
  ferplus: 'either',
  affectnet: 'either',
  rafdb: 'either',
  disfa: 'file',
  'au-csv': 'file',
};

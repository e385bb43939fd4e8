/** What a caller knows beyond the OCR file: the size of each page's image, for files that leave it out. */
export interface OcrParseOptions {
  /** Pixel size of the image of the page at this 0-based index in the file, when there is one. */
  pageSize?: (index: number) => { width: number; height: number } | null | undefined;
}

export enum DocumentStatus {
  Processing = 'Processing',
  Processed = 'Processed',
  Failed = 'Failed',
}

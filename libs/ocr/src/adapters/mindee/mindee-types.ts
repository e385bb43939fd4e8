/** The parts of Mindee API v2 payloads this adapter reads (validated against MINDEE_SCHEMAS first). */

export interface MindeeErrorResponse {
  status: number;
  detail: string;
  title: string;
  code: string;
  errors?: { pointer: string | null; detail: string }[];
}

export interface MindeeJob {
  id: string;
  model_id: string;
  filename: string;
  alias?: string | null;
  created_at: string;
  completed_at?: string | null;
  status: 'Processing' | 'Failed' | 'Processed';
  polling_url: string;
  result_url?: string | null;
  error?: MindeeErrorResponse | null;
}

export interface MindeeJobResponse {
  job: MindeeJob;
}

export interface MindeeOcrWord {
  content: string;
  polygon: [number, number][];
}

export interface MindeeOcrResponse {
  inference: {
    id: string;
    job: { id: string };
    model: { id: string };
    file: { name: string; alias?: string | null; page_count: number; mime_type: string };
    result: { pages: { words: MindeeOcrWord[]; content: string }[] };
  };
}

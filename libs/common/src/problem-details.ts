import { ErrorItem } from './domain.exception';

/** RFC 9457 problem details, with the same fields as Mindee's `ErrorResponse`. */
export interface ProblemDetails {
  type?: string;
  status: number;
  title: string;
  detail: string;
  code: string;
  errors: ErrorItem[];
  instance?: string;
  error_id?: string;
}

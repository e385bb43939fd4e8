/**
 * The response schemas of Mindee API v2's OCR utility, copied unchanged from the published
 * OpenAPI 3.1 documents (`components.schemas` of the enqueue, job-status and ocr-result
 * endpoints; see ../shared/seed/). A unit test keeps this copy equal to the seed.
 */
export const MINDEE_SCHEMAS = {
  JobResponse: {
    properties: {
      job: {
        $ref: '#/components/schemas/Job',
      },
    },
    type: 'object',
    required: ['job'],
    title: 'JobResponse',
    description: 'Response for a Job.',
  },
  Job: {
    properties: {
      id: {
        type: 'string',
        format: 'uuid4',
        title: 'Id',
        description: 'UUID of the Job.',
      },
      model_id: {
        type: 'string',
        format: 'uuid4',
        title: 'Model Id',
        description: 'UUID of the model to be used for the inference.',
      },
      filename: {
        type: 'string',
        title: 'Filename',
        description: 'Name of the file sent.',
      },
      alias: {
        anyOf: [
          {
            type: 'string',
          },
          {
            type: 'null',
          },
        ],
        title: 'Alias',
        description: 'Optional alias sent for the file.',
      },
      created_at: {
        type: 'string',
        format: 'date-time',
        title: 'Created At',
        description: 'Date and time of the Job creation.',
      },
      completed_at: {
        anyOf: [
          {
            type: 'string',
            format: 'date-time',
          },
          {
            type: 'null',
          },
        ],
        title: 'Completed At',
        description: 'Date and time of the Job completion. Filled once processing is finished.',
      },
      status: {
        $ref: '#/components/schemas/Status',
      },
      polling_url: {
        type: 'string',
        maxLength: 2083,
        minLength: 1,
        format: 'uri',
        title: 'Polling Url',
        description: 'URL to poll for the Job status.',
      },
      result_url: {
        anyOf: [
          {
            type: 'string',
            maxLength: 2083,
            minLength: 1,
            format: 'uri',
          },
          {
            type: 'null',
          },
        ],
        title: 'Result Url',
        description: 'URL to retrieve the inference results. Will be filled once the inference is ready.',
      },
      webhooks: {
        items: {
          $ref: '#/components/schemas/WebhookResponse',
        },
        type: 'array',
        title: 'Webhooks',
        description: 'List of responses from webhooks called. Empty until processing is finished.',
        default: [],
      },
      error: {
        anyOf: [
          {
            $ref: '#/components/schemas/ErrorResponse',
          },
          {
            type: 'null',
          },
        ],
        description: 'If an error occurred during processing, contains the problem details.',
      },
    },
    type: 'object',
    required: ['id', 'model_id', 'filename', 'created_at', 'status', 'polling_url'],
    title: 'Job',
    description: 'Information on the processing of a file sent to the Mindee API.',
  },
  Status: {
    type: 'string',
    enum: ['Processing', 'Failed', 'Processed'],
    title: 'Status',
    description: 'Possible states of an operation.',
  },
  WebhookResponse: {
    properties: {
      id: {
        type: 'string',
        format: 'uuid4',
        title: 'Id',
        description: 'UUID of the webhook endpoint.',
      },
      created_at: {
        type: 'string',
        format: 'date-time',
        title: 'Created At',
        description: 'Date and time the webhook was called.',
      },
      status: {
        $ref: '#/components/schemas/ExtendedStatus',
        default: 'Processing',
      },
      error: {
        anyOf: [
          {
            $ref: '#/components/schemas/ErrorResponse',
          },
          {
            type: 'null',
          },
        ],
        description: 'If an error occurred when calling the webhook, contains the problem details.',
      },
      attempts_count: {
        type: 'integer',
        title: 'Attempts Count',
        description: 'Number of attempts made to call the webhook.',
        default: 0,
      },
    },
    type: 'object',
    required: ['id'],
    title: 'WebhookResponse',
    description: 'Response from a webhook call.',
  },
  ExtendedStatus: {
    type: 'string',
    enum: ['Processing', 'Failed', 'Processed', 'Skipped'],
    title: 'ExtendedStatus',
    description: 'Possible states of an extended operation.',
  },
  ErrorResponse: {
    properties: {
      status: {
        type: 'integer',
        maximum: 599,
        minimum: 100,
        title: 'Status',
        description: 'The HTTP status code returned by the server.',
      },
      detail: {
        type: 'string',
        title: 'Detail',
        description: 'A human-readable explanation specific to the occurrence of the problem.',
      },
      title: {
        type: 'string',
        title: 'Title',
        description: 'A short, human-readable summary of the problem.',
      },
      code: {
        type: 'string',
        title: 'Code',
        description: 'A machine-readable code specific to the occurrence of the problem.',
      },
      errors: {
        items: {
          $ref: '#/components/schemas/ErrorItem',
        },
        type: 'array',
        title: 'Errors',
        description: 'A list of explicit details on the problem.',
        default: [],
      },
    },
    type: 'object',
    required: ['status', 'detail', 'title', 'code'],
    title: 'ErrorResponse',
    description: 'Error response detailing a problem. The format adheres to RFC 9457.',
  },
  ErrorItem: {
    properties: {
      pointer: {
        anyOf: [
          {
            type: 'string',
          },
          {
            type: 'null',
          },
        ],
        title: 'Pointer',
        description: 'A JSON Pointer to the location of the body property.',
      },
      detail: {
        type: 'string',
        title: 'Detail',
        description: 'Explicit information on the issue.',
      },
    },
    type: 'object',
    required: ['pointer', 'detail'],
    title: 'ErrorItem',
    description: 'Explicit details on a problem.',
  },
  OCRResponse: {
    properties: {
      inference: {
        $ref: '#/components/schemas/OCRInference',
      },
    },
    type: 'object',
    required: ['inference'],
    title: 'OCRResponse',
    description: 'Response for an ocr utility inference.',
  },
  OCRInference: {
    properties: {
      id: {
        type: 'string',
        format: 'uuid4',
        title: 'Id',
        description: 'UUID of the Inference.',
      },
      job: {
        $ref: '#/components/schemas/BaseJob',
        title: 'Job',
        description: 'Job the inference belongs to.',
      },
      model: {
        $ref: '#/components/schemas/InferenceModel',
      },
      file: {
        $ref: '#/components/schemas/InferenceFile',
      },
      result: {
        $ref: '#/components/schemas/OCRResult',
      },
    },
    type: 'object',
    required: ['id', 'job', 'model', 'file', 'result'],
    title: 'OCRInference',
    description: 'The inference result for a ocr utility request.',
  },
  BaseJob: {
    properties: {
      id: {
        type: 'string',
        format: 'uuid4',
        title: 'Id',
        description: 'UUID of the Job.',
      },
    },
    type: 'object',
    required: ['id'],
    title: 'BaseJob',
    description: 'Base class for Job.',
  },
  InferenceModel: {
    properties: {
      id: {
        type: 'string',
        format: 'uuid4',
        title: 'ID',
        description: 'UUID of the model.',
      },
    },
    type: 'object',
    required: ['id'],
    title: 'InferenceModel',
    description: 'Model used for the inference.',
  },
  InferenceFile: {
    properties: {
      name: {
        type: 'string',
        title: 'Name',
        description: 'File name as sent to the API.',
      },
      alias: {
        anyOf: [
          {
            type: 'string',
          },
          {
            type: 'null',
          },
        ],
        title: 'Alias',
        description: 'Alias sent to the API.',
      },
      page_count: {
        type: 'integer',
        minimum: 1,
        title: 'Page Count',
        description: 'Number of pages in the file.',
      },
      mime_type: {
        type: 'string',
        title: 'MIME Type',
        description: 'Detected MIME type of the file.',
      },
    },
    type: 'object',
    required: ['name', 'page_count', 'mime_type'],
    title: 'InferenceFile',
    description: 'File used for the inference.',
  },
  OCRResult: {
    properties: {
      pages: {
        items: {
          $ref: '#/components/schemas/PageOCR',
        },
        type: 'array',
        title: 'pages',
        description: 'List of OCR results for each page in the document.',
      },
    },
    type: 'object',
    required: ['pages'],
    title: 'OCRResult',
    description: 'Result of the OCR utility inference.',
  },
  PageOCR: {
    properties: {
      words: {
        items: {
          $ref: '#/components/schemas/WordOCR',
        },
        type: 'array',
        title: 'Words',
        description: 'List of words extracted from the document page.',
      },
      content: {
        type: 'string',
        title: 'Content',
        description: 'Full text content extracted from the document page.',
      },
    },
    type: 'object',
    required: ['words', 'content'],
    title: 'PageOCR',
    description: 'OCR result for a single page.',
  },
  WordOCR: {
    properties: {
      content: {
        type: 'string',
        title: 'Content',
        description: 'Text content of the word.',
      },
      polygon: {
        items: {
          prefixItems: [
            {
              type: 'number',
              maximum: 1,
              minimum: 0,
              title: 'Coordinate',
              description: 'Coordinate value relative to document edge.',
            },
            {
              type: 'number',
              maximum: 1,
              minimum: 0,
              title: 'Coordinate',
              description: 'Coordinate value relative to document edge.',
            },
          ],
          type: 'array',
          maxItems: 2,
          minItems: 2,
          title: 'Point',
          description: 'Relative coordinates of a point in [X,Y] notation.',
        },
        type: 'array',
        minItems: 3,
        title: 'Polygon',
        description: 'Position information as a list of points in clockwise order.',
      },
    },
    type: 'object',
    required: ['content', 'polygon'],
    title: 'WordOCR',
    description: 'OCR result for a single word extracted from the document page.',
  },
} as const;

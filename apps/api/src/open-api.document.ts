import { INestApplication } from '@nestjs/common';
import { DocumentBuilder, OpenAPIObject, SwaggerModule } from '@nestjs/swagger';

/**
 * The API's OpenAPI document, as served at /docs-json and as the generated client
 * (libs/api-client, `npm run client:generate`) is typed from.
 */
export function buildOpenApiDocument(app: INestApplication): OpenAPIObject {
  const config = new DocumentBuilder()
    .setTitle('Recto')
    .setDescription('Search inside scanned documents, with the polygon of every matched word.')
    .setVersion('1')
    .addApiKey({ type: 'apiKey', in: 'header', name: 'Authorization' }, 'api-key')
    .addSecurityRequirements('api-key')
    .build();
  return SwaggerModule.createDocument(app, config);
}

import { Injectable } from '@nestjs/common';
import { DomainException, ErrorCode } from '@recto/common';
import { ApiConfig } from '@recto/config';
import { DocumentRepository } from '@recto/database';
import { DocumentNotFoundException, DocumentService } from '@recto/documents';
import { IiifUrls } from '../iiif-urls';
import { IiifLinkSigner } from './iiif-link.signer';

export interface IiifLink {
  manifest: string;
  expiresAt: Date;
}

/** Where IIIF resources are reached: the keyed routes, or the signed ones of a link. */
export interface IiifLocation {
  base: string;
  /** The signed link's token, when the request came through one. */
  token?: string;
}

export function iiifUrlsOf(location: IiifLocation, documentId: string, canvasIds?: ReadonlyMap<number, string>) {
  const accessRoot = location.token ? `${location.base}/v1/iiif/${location.token}/${documentId}` : undefined;
  return new IiifUrls(location.base, documentId, { accessRoot, canvasIds });
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Signed, expiring links that let viewers on other origins read one document's IIIF without a key. */
@Injectable()
export class IiifAccessService {
  private readonly signer: IiifLinkSigner;

  constructor(
    private readonly config: ApiConfig,
    private readonly documents: DocumentService,
    private readonly repository: DocumentRepository,
  ) {
    this.signer = new IiifLinkSigner(IiifLinkSigner.parseKeys(config.IIIF_SIGNING_KEYS));
  }

  async createLink(tenantId: string, documentId: string, base: string, expiresIn?: number): Promise<IiifLink> {
    // Another tenant's id is a missing document, whatever the configuration.
    await this.documents.get(tenantId, documentId);
    if (!this.signer.enabled) {
      throw new DomainException(
        ErrorCode.IiifLinksDisabled,
        'Signed IIIF links need IIIF_SIGNING_KEYS in the server configuration.',
      );
    }
    const seconds = Math.min(expiresIn ?? this.config.IIIF_LINK_DEFAULT_SECONDS, this.config.IIIF_LINK_MAX_SECONDS);
    const expiresAt = new Date((Math.floor(Date.now() / 1000) + seconds) * 1000);
    const token = this.signer.sign(tenantId, documentId, expiresAt);
    return { manifest: iiifUrlsOf({ base, token }, documentId).manifest(), expiresAt };
  }

  /**
   * The tenant a token gives access to. Anything but a valid signature over this very document
   * answers like a missing document, so tokens reveal nothing about other documents or tenants.
   */
  async tenantOf(token: string, documentId: string): Promise<string> {
    if (!UUID.test(documentId)) throw new DocumentNotFoundException();
    const document = await this.repository.findById(documentId);
    const verified = document && this.signer.verify(token, documentId, document.tenantId);
    if (!verified) throw new DocumentNotFoundException();
    if (verified.expired) {
      throw new DomainException(
        ErrorCode.IiifLinkExpired,
        `This IIIF link expired at ${verified.expiresAt.toISOString()}; ask for a new one.`,
      );
    }
    return verified.tenantId;
  }
}

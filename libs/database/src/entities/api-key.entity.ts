import { Column, CreateDateColumn, Entity, PrimaryColumn } from 'typeorm';

/** An API key of one tenant; the key itself is never stored, only its SHA-256. */
@Entity('api_keys')
export class ApiKeyEntity {
  @PrimaryColumn('uuid')
  id: string;

  @Column({ name: 'tenant_id', type: 'text' })
  tenantId: string;

  /** The first characters of the key, shown in listings and accepted by `keys revoke`. */
  @Column({ type: 'text' })
  prefix: string;

  @Column({ name: 'key_sha256', type: 'char', length: 64 })
  keySha256: string;

  @Column({ type: 'text', nullable: true })
  name: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt: Date;

  @Column({ name: 'revoked_at', type: 'timestamptz', nullable: true })
  revokedAt: Date | null;
}

import { ApiPropertyOptional } from '@nestjs/swagger';
import type { MatchOptions, TypoTolerance } from '@recto/search';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

/** `typos` and `prefix`, taken by every search route (REST and IIIF). */
export class MatchOptionsRequestDto {
  @ApiPropertyOptional({
    enum: ['0', '1', '2', 'auto'],
    default: 'auto',
    description:
      'Typos a matched word may have: `0` exact words only, `1`/`2` at most that many edits, `auto` the engine rule (1 from 5 letters, 2 from 9).',
  })
  @IsOptional()
  @Transform(({ value }) => (typeof value === 'string' && /^[012]$/.test(value) ? Number(value) : value))
  @IsIn([0, 1, 2, 'auto'], { message: 'typos must be one of 0, 1, 2, auto' })
  typos?: TypoTolerance;

  @ApiPropertyOptional({
    type: Boolean,
    description:
      '`false`: the last word is not matched as a prefix (`tobac` no longer finds `tobacco`). Default `true`, `false` with `typos=0`.',
  })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean({ message: 'prefix must be true or false' })
  prefix?: boolean;

  /** Unset stays unset: the search library knows the defaults. */
  matching(): MatchOptions {
    return { typos: this.typos, prefix: this.prefix };
  }
}

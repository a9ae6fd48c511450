import { DomainError } from '../errors.ts';

/** The upload is larger than an import takes. */
export class FileTooLargeError extends DomainError {
  constructor(limitMb: number) {
    super('FILE_TOO_LARGE', { limitMb }, { limitMb });
  }
}

/** A preview with errors cannot be committed: the import is all or nothing. */
export class ImportNotReadyError extends DomainError {
  constructor(previewId: string, errors: number) {
    super('IMPORT_NOT_READY', { previewId, errors }, { previewId, errors });
  }
}

/** An unknown, expired or someone else's preview or job: the same answer for all three, so ids cannot be probed. */
export class ImportNotFoundError extends DomainError {
  constructor(kind: 'preview' | 'job', id: string) {
    super('NOT_FOUND', { kind: kind === 'preview' ? 'import preview' : 'import job', kindZh: kind === 'preview' ? '导入预览' : '导入任务', key: id }, { kind, key: id });
  }
}

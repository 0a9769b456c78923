import fs from "node:fs";
import type { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { ConfigError, type S3Settings } from "../../config.js";
import { type FileSource, type FileStore, FileStoreUnavailableError, type OpenedFile } from "./store.js";

/** Deletes sent at once: a deleted folder may take thousands of files with it. */
const DELETE_CONCURRENCY = 16;

/**
 * Files as objects `<ASSAY_S3_PREFIX><key>` of an S3-compatible bucket, so
 * that every instance of the server sees every file. Checksums are sent only
 * where S3 requires them: many S3-compatible servers reject the SDK's
 * default aws-chunked trailing checksums.
 */
export class S3FileStore implements FileStore {
  readonly location: string;
  private readonly client: S3Client;

  constructor(private readonly settings: S3Settings) {
    // The SDK warns once per process that its 2027 releases need Node 22: not actionable
    // for an Assay operator, and the documented switch silences only that warning.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
    this.location = `the bucket "${settings.bucket}" at ${this.endpointName()}`;
    this.client = new S3Client({
      region: settings.region,
      endpoint: settings.endpoint ?? undefined,
      forcePathStyle: settings.forcePathStyle,
      credentials: settings.credentials ?? undefined,
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      maxAttempts: 2,
      requestHandler: { connectionTimeout: 5_000, requestTimeout: 120_000 },
    });
  }

  async check(): Promise<void> {
    try {
      await this.client.send(new HeadBucketCommand({ Bucket: this.settings.bucket }));
    } catch (error) {
      throw new ConfigError(`The file store cannot be used: ${this.explain(error)}.`);
    }
  }

  async put(key: string, source: FileSource, contentType: string): Promise<void> {
    try {
      const body = "path" in source ? await fileBody(source.path) : { Body: source.bytes };
      await this.client.send(
        new PutObjectCommand({
          Bucket: this.settings.bucket,
          Key: this.objectKey(key),
          ContentType: contentType,
          ...body,
        }),
      );
    } catch (error) {
      throw this.unavailable("The file could not be stored", error);
    }
  }

  async open(key: string): Promise<OpenedFile | null> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) }),
      );
      return { stream: object.Body as Readable, size: object.ContentLength ?? 0 };
    } catch (error) {
      if (error instanceof S3ServiceException && error.name === "NoSuchKey") return null;
      throw this.unavailable("The file could not be read", error);
    }
  }

  async remove(keys: readonly string[]): Promise<void> {
    for (let i = 0; i < keys.length; i += DELETE_CONCURRENCY) {
      await Promise.all(
        keys
          .slice(i, i + DELETE_CONCURRENCY)
          .map((key) =>
            this.client.send(new DeleteObjectCommand({ Bucket: this.settings.bucket, Key: this.objectKey(key) })),
          ),
      ).catch((error) => {
        throw this.unavailable("Files could not be deleted", error);
      });
    }
  }

  close(): void {
    this.client.destroy();
  }

  private objectKey(key: string): string {
    return `${this.settings.prefix}${key}`;
  }

  private endpointName(): string {
    return this.settings.endpoint ?? `AWS S3 in ${this.settings.region}`;
  }

  private unavailable(what: string, error: unknown): FileStoreUnavailableError {
    return new FileStoreUnavailableError(
      `${what}: ${this.explain(error)}. Nothing was changed; retry later (the administrator should check the ASSAY_S3_* settings).`,
    );
  }

  /** One clause saying what is wrong and which setting to look at. */
  private explain(error: unknown): string {
    const { bucket, region } = this.settings;
    const status = (error as { $metadata?: { httpStatusCode?: number } })?.$metadata?.httpStatusCode;
    const name = error instanceof Error ? error.name : "";
    const code = (error as { code?: string })?.code ?? "";
    if (name === "NoSuchBucket" || (name === "NotFound" && status === 404)) {
      return `the bucket "${bucket}" (ASSAY_S3_BUCKET) does not exist at ${this.endpointName()}; create it or correct ASSAY_S3_BUCKET`;
    }
    if (
      status === 403 ||
      ["AccessDenied", "InvalidAccessKeyId", "SignatureDoesNotMatch", "Forbidden", "CredentialsProviderError"].includes(
        name,
      )
    ) {
      return `${this.endpointName()} refused access to the bucket "${bucket}" (${name || status}); check ASSAY_S3_ACCESS_KEY_ID and ASSAY_S3_SECRET_ACCESS_KEY`;
    }
    if (status === 301 || name === "PermanentRedirect" || name === "AuthorizationHeaderMalformed") {
      return `the bucket "${bucket}" is not in the region "${region}"; correct ASSAY_S3_REGION`;
    }
    if (status === undefined || name === "TimeoutError") {
      const reason = code || name || (error instanceof Error ? error.message : String(error));
      return `the S3 endpoint ${this.endpointName()} cannot be reached (${reason}); check ASSAY_S3_ENDPOINT and that the server is up`;
    }
    const message = error instanceof Error ? error.message : String(error);
    return `${this.endpointName()} answered ${status} ${name} for the bucket "${bucket}" (${message.slice(0, 200)}); check the ASSAY_S3_* settings`;
  }
}

/** A file's stream with its length: S3 needs the length of a streamed body up front. */
async function fileBody(file: string) {
  const { size } = await fs.promises.stat(file);
  return { Body: fs.createReadStream(file), ContentLength: size };
}

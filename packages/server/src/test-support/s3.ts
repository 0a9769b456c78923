import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import {
  CreateBucketCommand,
  DeleteBucketCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  S3Client,
} from "@aws-sdk/client-s3";
import S3rver from "s3rver";

/** s3rver's fixed credentials. */
export const S3RVER_KEY = "S3RVER";

export interface TestS3 {
  endpoint: string;
  /** ASSAY_S3_* for a server using `bucket` */
  env(bucket: string, prefix?: string): Record<string, string>;
  /** keys of the bucket's objects */
  keys(bucket: string): Promise<string[]>;
  read(bucket: string, key: string): Promise<Buffer>;
  createBucket(bucket: string): Promise<void>;
  deleteBucket(bucket: string): Promise<void>;
  /** an outage: the port stops answering until `start()` */
  stop(): Promise<void>;
  start(): Promise<void>;
  /** stops for good and removes the stored objects */
  close(): Promise<void>;
}

/** A real S3-compatible server (s3rver) on a free local port, storing in a temporary directory. */
export async function startS3(buckets: string[]): Promise<TestS3> {
  const directory = fs.mkdtempSync(path.join(os.tmpdir(), "assay-s3-"));
  const configureBuckets = buckets.map((name) => ({ name }));
  let server = new S3rver({ port: 0, address: "127.0.0.1", silent: true, directory, configureBuckets });
  const { port } = await server.run();
  let running = true;
  const endpoint = `http://127.0.0.1:${port}`;
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= "true";
  const client = new S3Client({
    endpoint,
    region: "us-east-1",
    forcePathStyle: true,
    credentials: { accessKeyId: S3RVER_KEY, secretAccessKey: S3RVER_KEY },
  });
  return {
    endpoint,
    env: (bucket, prefix = "attachments/") => ({
      ASSAY_S3_BUCKET: bucket,
      ASSAY_S3_ENDPOINT: endpoint,
      ASSAY_S3_REGION: "us-east-1",
      ASSAY_S3_ACCESS_KEY_ID: S3RVER_KEY,
      ASSAY_S3_SECRET_ACCESS_KEY: S3RVER_KEY,
      ASSAY_S3_FORCE_PATH_STYLE: "true",
      ASSAY_S3_PREFIX: prefix,
    }),
    async keys(bucket) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket }));
      return (listed.Contents ?? []).map((o) => o.Key!).sort();
    },
    async read(bucket, key) {
      const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
      return Buffer.from(await object.Body!.transformToByteArray());
    },
    async createBucket(bucket) {
      await client.send(new CreateBucketCommand({ Bucket: bucket }));
    },
    async deleteBucket(bucket) {
      await client.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
    async stop() {
      await server.close();
      running = false;
    },
    async start() {
      server = new S3rver({ port, address: "127.0.0.1", silent: true, directory });
      await server.run();
      running = true;
    },
    async close() {
      client.destroy();
      if (running) await server.close();
      fs.rmSync(directory, { recursive: true, force: true });
    },
  };
}

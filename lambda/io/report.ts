/** Writes report.html, served by S3 as a UTF-8 HTML page (it opens in a browser straight from S3). */
import { PutObjectCommand, type S3Client } from '@aws-sdk/client-s3';
import { REPORT_CONTENT_TYPE } from '../core/report';

/** Writes `html` at `key` with `Content-Type: text/html; charset=utf-8`. */
export async function putReport(s3: S3Client, bucket: string, key: string, html: string): Promise<void> {
  await s3.send(
    new PutObjectCommand({
      Bucket: bucket,
      Key: key,
      Body: html,
      ContentType: REPORT_CONTENT_TYPE,
      ContentDisposition: 'inline',
    }),
  );
}

import { describe, expect, it } from 'vitest';
import { decodeAwsChunked, isAwsChunked, storedContentEncoding } from '../../../src/local-cloud/s3/aws-chunked.js';
import { readPutRequest } from '../../../src/local-cloud/s3/object-headers.js';

const frame = (chunks: string[], trailer = '', sig = '') =>
  Buffer.from(chunks.map((c) => `${Buffer.byteLength(c).toString(16)}${sig}\r\n${c}\r\n`).join('') + `0${sig}\r\n${trailer}\r\n`);

describe('aws-chunked bodies', () => {
  it('joins chunks and reads trailers', () => {
    const decoded = decodeAwsChunked(frame(['hello ', 'world'], 'x-amz-checksum-crc32:DUoRhQ==\r\n'));
    expect(decoded.body.toString()).toBe('hello world');
    expect(decoded.trailers).toEqual({ 'x-amz-checksum-crc32': 'DUoRhQ==' });
  });

  it('ignores chunk signatures of signed streaming uploads', () => {
    const decoded = decodeAwsChunked(frame(['abc'], '', ';chunk-signature=0123456789abcdef'));
    expect(decoded.body.toString()).toBe('abc');
  });

  it('keeps binary chunk data intact, including CRLF inside the data', () => {
    const data = Buffer.from([0, 13, 10, 255, 13, 10]);
    const raw = Buffer.concat([Buffer.from('6\r\n'), data, Buffer.from('\r\n0\r\n\r\n')]);
    expect(decodeAwsChunked(raw).body).toEqual(data);
  });

  it('rejects truncated framing as IncompleteBody', () => {
    expect(() => decodeAwsChunked(Buffer.from('a\r\nshort'))).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
    expect(() => decodeAwsChunked(Buffer.from('zz\r\n'))).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
  });

  it('recognises chunked requests and strips aws-chunked from the stored encoding', () => {
    expect(isAwsChunked({ 'x-amz-content-sha256': 'STREAMING-UNSIGNED-PAYLOAD-TRAILER' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip, aws-chunked' })).toBe(true);
    expect(isAwsChunked({ 'content-encoding': 'gzip' })).toBe(false);
    expect(storedContentEncoding('aws-chunked')).toBeUndefined();
    expect(storedContentEncoding('gzip,aws-chunked')).toBe('gzip');
  });

  it('verifies the trailing checksum and answers BadDigest on a mismatch', () => {
    const headers = { 'content-encoding': 'aws-chunked', 'x-amz-decoded-content-length': '11' };
    const good = readPutRequest(headers, frame(['hello world'], 'x-amz-checksum-crc32:DUoRhQ==\r\n'));
    expect(good.body.toString()).toBe('hello world');
    expect(good.opts.checksum).toEqual({ algorithm: 'crc32', value: 'DUoRhQ==' });
    expect(good.opts.contentEncoding).toBeUndefined();
    expect(() => readPutRequest(headers, frame(['hello world'], 'x-amz-checksum-crc32:AAAAAA==\r\n'))).toThrow(
      expect.objectContaining({ code: 'BadDigest', message: 'The CRC32 you specified did not match the calculated checksum.' }),
    );
    expect(() => readPutRequest({ ...headers, 'x-amz-decoded-content-length': '12' }, frame(['hello world']))).toThrow(expect.objectContaining({ code: 'IncompleteBody' }));
  });
});

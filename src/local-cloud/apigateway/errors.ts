import { AwsError } from '../aws-error.js';

export const notFound = (message: string): AwsError => new AwsError('NotFoundException', message, 404);
export const conflict = (message: string): AwsError => new AwsError('ConflictException', message, 409);
export const badRequest = (message: string): AwsError => new AwsError('BadRequestException', message, 400);

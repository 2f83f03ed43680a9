// PutMetricAlarm validation, in the order CloudWatch reports problems.
import { AwsError } from '../aws-error.js';
import type { AlarmConfig } from './model.js';
import { isStatistic } from './statistics.js';

const OPERATORS = ['GreaterThanOrEqualToThreshold', 'GreaterThanThreshold', 'LessThanThreshold', 'LessThanOrEqualToThreshold'];
const TREATMENTS = ['breaching', 'notBreaching', 'ignore', 'missing'];

const invalid = (message: string): AwsError => new AwsError('ValidationError', message, 400);
const enumError = (value: string, field: string, set: string[]): AwsError =>
  invalid(`1 validation error detected: Value '${value}' at '${field}' failed to satisfy constraint: Member must satisfy enum value set: [${set.join(', ')}]`);

export function validateAlarm(c: AlarmConfig): void {
  if (!c.AlarmName) throw new AwsError('MissingParameter', 'The parameter AlarmName is required.', 400);
  if (!c.MetricName || !c.Namespace) {
    throw invalid('The local cloud supports metric alarms on one metric (MetricName and Namespace); Metrics (metric math) is not implemented.');
  }
  if (!OPERATORS.includes(c.ComparisonOperator)) throw enumError(String(c.ComparisonOperator), 'comparisonOperator', OPERATORS);
  if (c.TreatMissingData && !TREATMENTS.includes(c.TreatMissingData)) throw enumError(c.TreatMissingData, 'treatMissingData', TREATMENTS);
  if (!Number.isFinite(c.Threshold)) throw new AwsError('MissingParameter', 'The parameter Threshold is required.', 400);
  if (!c.Statistic === !c.ExtendedStatistic) {
    throw new AwsError('InvalidParameterCombination', 'Must specify either Statistic or ExtendedStatistic, but not both.', 400);
  }
  const stat = c.Statistic ?? c.ExtendedStatistic!;
  if (!isStatistic(stat)) throw enumError(stat, 'statistic', ['SampleCount', 'Average', 'Sum', 'Minimum', 'Maximum']);
  if (!Number.isInteger(c.Period) || c.Period < 10 || (c.Period !== 10 && c.Period !== 30 && c.Period % 60 !== 0)) {
    throw invalid('Period must be 10, 30 or a multiple of 60.');
  }
  if (!Number.isInteger(c.EvaluationPeriods) || c.EvaluationPeriods < 1) {
    throw invalid(`1 validation error detected: Value '${c.EvaluationPeriods}' at 'evaluationPeriods' failed to satisfy constraint: Member must have value greater than or equal to 1`);
  }
  if (c.Period * c.EvaluationPeriods > 7 * 24 * 3600) throw invalid('The evaluation period (Period × EvaluationPeriods) must not exceed one week.');
  if (c.DatapointsToAlarm !== undefined && (c.DatapointsToAlarm < 1 || c.DatapointsToAlarm > c.EvaluationPeriods)) {
    throw invalid('DatapointsToAlarm must be between 1 and EvaluationPeriods.');
  }
}

// EventBridge's per-operation input constraints, checked at the wire before the domain runs, with
// the texts EventBridge answers (ValidationException, "1 validation error detected: Value 'a b' at
// 'name' failed to satisfy constraint: …"). Constraints are each operation's Request Parameters:
// https://docs.aws.amazon.com/eventbridge/latest/APIReference/API_PutRule.html, API_DescribeRule,
// API_ListRules, API_DeleteRule, API_EnableRule, API_DisableRule, API_PutTargets (Target:
// API_Target.html), API_RemoveTargets, API_ListTargetsByRule.
import { z } from 'zod';
import { awsEnum, awsInput, awsInteger, awsList, awsString } from '../protocols/validation.js';

const RULE_NAME = awsString({ pattern: [/^[.\-_A-Za-z0-9]+$/, '[\\.\\-_A-Za-z0-9]+'], min: 1, max: 64 });
const BUS = '(arn:aws[\\w-]*:events:[a-z]+-[a-z]+-[\\w-]+:[0-9]{12}:event-bus\\/)?[/\\.\\-_A-Za-z0-9]+';
const EVENT_BUS = awsString({ pattern: [new RegExp(`^(?:${BUS})$`), BUS], min: 1, max: 1600 });
const TARGET_ID = awsString({ pattern: [/^[.\-_A-Za-z0-9]+$/, '[\\.\\-_A-Za-z0-9]+'], min: 1, max: 64 });
const ARN = awsString({ min: 1, max: 1600 });
const NEXT_TOKEN = awsString({ min: 1, max: 2048 });
const tag = awsInput({ Key: awsString({ min: 1, max: 128 }), Value: awsString({ max: 256 }) });

// Members of a Target the local cloud does not act on are accepted as AWS accepts them.
const target = awsInput({
  Id: TARGET_ID,
  Arn: ARN,
  RoleArn: ARN.optional(),
  Input: awsString({ max: 8192 }).optional(),
  InputPath: awsString({ max: 256 }).optional(),
});

export const eventsInputs = {
  PutRule: awsInput({
    Name: RULE_NAME,
    ScheduleExpression: awsString({ max: 256 }).optional(),
    EventPattern: awsString({ max: 4096 }).optional(),
    State: awsEnum(['DISABLED', 'ENABLED']).optional(),
    Description: awsString({ max: 512 }).optional(),
    RoleArn: ARN.optional(),
    Tags: awsList(tag).optional(),
    EventBusName: EVENT_BUS.optional(),
  }),
  DescribeRule: awsInput({ Name: RULE_NAME, EventBusName: EVENT_BUS.optional() }),
  ListRules: awsInput({
    NamePrefix: awsString({ pattern: [/^[.\-_A-Za-z0-9]+$/, '[\\.\\-_A-Za-z0-9]+'], min: 1, max: 64 }).optional(),
    EventBusName: EVENT_BUS.optional(),
    NextToken: NEXT_TOKEN.optional(),
    Limit: awsInteger({ min: 1, max: 100 }).optional(),
  }),
  DeleteRule: awsInput({ Name: RULE_NAME, EventBusName: EVENT_BUS.optional(), Force: z.boolean().optional() }),
  EnableRule: awsInput({ Name: RULE_NAME, EventBusName: EVENT_BUS.optional() }),
  DisableRule: awsInput({ Name: RULE_NAME, EventBusName: EVENT_BUS.optional() }),
  PutTargets: awsInput({ Rule: RULE_NAME, EventBusName: EVENT_BUS.optional(), Targets: awsList(target, { min: 1, max: 100 }) }),
  RemoveTargets: awsInput({ Rule: RULE_NAME, EventBusName: EVENT_BUS.optional(), Ids: awsList(TARGET_ID, { min: 1, max: 100 }), Force: z.boolean().optional() }),
  ListTargetsByRule: awsInput({ Rule: RULE_NAME, EventBusName: EVENT_BUS.optional(), NextToken: NEXT_TOKEN.optional(), Limit: awsInteger({ min: 1, max: 100 }).optional() }),
};

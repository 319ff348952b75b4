import { describe, expect, it } from 'vitest';
import { firstFailure, newStackEvents, watchStackOperation } from '../../src/index.ts';
import { fakeAws } from '../support/fake-aws.ts';

const at = (second: number) => new Date(Date.UTC(2026, 10, 22, 10, 0, second));
const event = (id: string, second: number, logicalId: string, status: string, reason?: string) => ({
  EventId: id,
  Timestamp: at(second),
  LogicalResourceId: logicalId,
  ResourceType: logicalId === 'tasktracker-dev' ? 'AWS::CloudFormation::Stack' : 'AWS::DynamoDB::Table',
  ResourceStatus: status,
  ...(reason ? { ResourceStatusReason: reason } : {}),
});

describe('stack events', () => {
  it('pages DescribeStackEvents back to the first event already seen, and returns them oldest first', async () => {
    // Newest first, two per page, as CloudFormation pages them.
    const pages = [
      [event('e6', 6, 'B', 'CREATE_COMPLETE'), event('e5', 5, 'A', 'CREATE_COMPLETE')],
      [event('e4', 4, 'B', 'CREATE_IN_PROGRESS'), event('e3', 3, 'A', 'CREATE_IN_PROGRESS')],
      [
        event('e2', 2, 'tasktracker-dev', 'UPDATE_IN_PROGRESS'),
        event('e1', 1, 'tasktracker-dev', 'UPDATE_COMPLETE'),
      ],
    ];
    const { clients, calls } = fakeAws({
      DescribeStackEvents: (input) => {
        const index = Number(input.NextToken ?? 0);
        return {
          StackEvents: pages[index],
          NextToken: index + 1 < pages.length ? String(index + 1) : undefined,
        };
      },
    });
    const seen = new Set(['e1']);
    const events = await newStackEvents(clients, 'tasktracker-dev', at(0), seen);
    expect(events.map((e) => `${e.logicalId} ${e.status}`)).toEqual([
      'tasktracker-dev UPDATE_IN_PROGRESS',
      'A CREATE_IN_PROGRESS',
      'B CREATE_IN_PROGRESS',
      'A CREATE_COMPLETE',
      'B CREATE_COMPLETE',
    ]);
    expect(calls.filter((call) => call.operation === 'DescribeStackEvents')).toHaveLength(3);
    // Nothing new: one call, stopped on the first page.
    expect(await newStackEvents(clients, 'tasktracker-dev', at(0), seen)).toEqual([]);
    expect(calls).toHaveLength(4);
  });

  it('follows an operation to its final status, streaming each event once with progress', async () => {
    const polls = [
      { status: 'UPDATE_IN_PROGRESS', events: [event('a1', 1, 'A', 'UPDATE_IN_PROGRESS')] },
      {
        status: 'UPDATE_IN_PROGRESS',
        events: [event('a2', 2, 'A', 'UPDATE_COMPLETE'), event('a1', 1, 'A', 'UPDATE_IN_PROGRESS')],
      },
      {
        status: 'UPDATE_COMPLETE',
        events: [event('s', 3, 'tasktracker-dev', 'UPDATE_COMPLETE'), event('a2', 2, 'A', 'UPDATE_COMPLETE')],
      },
    ];
    let poll = -1;
    const { clients } = fakeAws({
      DescribeStacks: () => {
        poll += 1;
        return { Stacks: [{ StackName: 'tasktracker-dev', StackStatus: polls[poll]?.status }] };
      },
      DescribeStackEvents: () => ({ StackEvents: polls[poll]?.events }),
    });
    const streamed: string[] = [];
    const progress: number[] = [];
    const result = await watchStackOperation(clients, {
      stack: 'tasktracker-dev',
      since: at(0),
      total: 1,
      pollMs: 1,
      onEvent: (e) => streamed.push(`${e.logicalId} ${e.status}`),
      onProgress: (done) => progress.push(done),
    });
    expect(result.status).toBe('UPDATE_COMPLETE');
    expect(streamed).toEqual([
      'A UPDATE_IN_PROGRESS',
      'A UPDATE_COMPLETE',
      'tasktracker-dev UPDATE_COMPLETE',
    ]);
    expect(progress).toEqual([0, 1, 1]);
  });

  it('names the resource that failed first, not the ones cancelled because of it', () => {
    const failure = firstFailure([
      { timestamp: at(1), logicalId: 'A', resourceType: 'T', status: 'CREATE_IN_PROGRESS' },
      {
        timestamp: at(2),
        logicalId: 'Fn',
        resourceType: 'AWS::Lambda::Function',
        status: 'CREATE_FAILED',
        reason: 'Resource creation cancelled',
      },
      {
        timestamp: at(2),
        logicalId: 'Table',
        resourceType: 'AWS::DynamoDB::Table',
        status: 'CREATE_FAILED',
        reason: 'Invalid index name',
      },
    ]);
    expect(failure?.logicalId).toBe('Table');
  });
});

// Every projector of the change feed, in the order they run for each change. The change-feed
// handler, the local runtime (through that handler) and the tests read this one list. (Jobs have
// a reader of their own: functions/streams/job-runner.ts.)
import type { Projector } from '../../../shared/stream/projector.js';
import { activity } from './activity.js';
import { analytics } from './analytics.js';
import { attachmentObjects } from './attachment-objects.js';
import { changeLog } from './change-log.js';
import { favoriteCleanup } from './favorite-cleanup.js';
import { linkCleanup } from './link-cleanup.js';
import { lowStock } from './low-stock.js';
import { loanReturned } from './loan-returned.js';
import { mail } from './mail.js';
import { searchIndex } from './search-index.js';

// searchIndex before linkCleanup: a deleted category's or label's items are re-filed while they still name it
export const projectors: readonly Projector[] = [changeLog, activity, favoriteCleanup, searchIndex, linkCleanup, lowStock, loanReturned, analytics, mail, attachmentObjects];

import type { Actor } from '../../../inventory/actor.ts';
import type { ChatRef, Platform } from '../../adapter.ts';
import type { ConversationDeps } from '../conversation.ts';
import type { WarehouseInfo } from '../lexicon.ts';
import type { ChatUser } from '../people.ts';
import type { Lang } from '../words.ts';

/** One exchange: who asks, where, in which language, and what they may see. */
export interface Turn {
  deps: ConversationDeps;
  user: ChatUser;
  actor: Actor;
  lang: Lang;
  platform: Platform;
  chat: ChatRef;
  /** Warehouses the asker may see. */
  visible: readonly WarehouseInfo[];
}

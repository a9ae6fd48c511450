/**
 * How WeCom group conversations are named in chat ids (subscriptions, replies):
 * a self-built app cannot post to ordinary groups, so a group is reached
 * through its group robot (群机器人, by webhook key) or the smart bot (智能机器人, by chatid).
 */
export const WECOM_ROBOT_PREFIX = 'robot:';
export const WECOM_SMART_BOT_PREFIX = 'aibot:';

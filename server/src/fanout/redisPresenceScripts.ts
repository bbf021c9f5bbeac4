/**
 * Lua scripts of the Redis presence tracker (run by `runScript`). Each script
 * runs atomically, so two nodes never both see the same online/offline
 * transition.
 *
 * Keys (prefix `p` = REDIS_PREFIX):
 *   `${p}presence:user:{userId}`      hash nodeId → number of sockets there
 *   `${p}presence:nodeusers:{nodeId}` set of user ids with sockets on the node
 *   `${p}presence:node:{nodeId}`      heartbeat, expires when the node stops refreshing it
 *   `${p}presence:nodes`              set of node ids that may hold entries
 *   `${p}presence:sweeplock`          held by the node sweeping dead nodes
 *   `${p}presence:reaped:{nodeId}`    set when a sweep reported the node's users offline; a node
 *                                     that was only paused finds it and announces them again
 *   `${p}presence:leaving:{nodeId}`   set by a node handing its users over (a deploy): its sockets
 *                                     are on their way elsewhere and no longer count towards a user's cap
 * Scripts build user keys from the prefix, so presence needs a single Redis
 * (or a primary with replicas), not Redis Cluster.
 */

/** Key names of the presence tracker under one prefix. */
export function presenceKeys(prefix: string) {
  return {
    user: (userId: number | string) => `${prefix}presence:user:${userId}`,
    nodeUsers: (nodeId: string) => `${prefix}presence:nodeusers:${nodeId}`,
    heartbeat: (nodeId: string) => `${prefix}presence:node:${nodeId}`,
    nodes: `${prefix}presence:nodes`,
    sweepLock: `${prefix}presence:sweeplock`,
    reaped: (nodeId: string) => `${prefix}presence:reaped:${nodeId}`,
    leaving: (nodeId: string) => `${prefix}presence:leaving:${nodeId}`,
  };
}

/** SET_COUNT's transition for a socket over the user's cap (besides 1 online, -1 offline, 0 neither). */
export const OVER_SOCKET_CAP = 2;

/**
 * Sets this node's socket count for a user to an absolute value (so a retry
 * or a lost answer cannot skew it) and answers {transition, elsewhere}:
 * the cluster-wide transition (1 = the user just came online, -1 = just went
 * offline, 0 = no change) and, for an open (ARGV[6] = 1), the user's
 * sockets on other live nodes (a close does not look: 0). Sockets of a node whose heartbeat expired (it died) or that is
 * handing its users over do not count there: those users are reconnecting.
 * With a cap (ARGV[5] > 0), a count that would take the user's sockets past
 * it is not written and the transition is OVER_SOCKET_CAP: the check and the
 * write are one step, so two nodes cannot both let a user's last socket in.
 * KEYS: user hash, node's user set. ARGV: nodeId, userId, count, prefix, cap, opening.
 */
export const SET_COUNT = `
local count = tonumber(ARGV[3])
local cap = tonumber(ARGV[5])
local elsewhere = 0
if ARGV[6] == '1' then
  local prefix = ARGV[4]
  local entries = redis.call('HGETALL', KEYS[1])
  for i = 1, #entries, 2 do
    local node = entries[i]
    if node ~= ARGV[1] and redis.call('EXISTS', prefix .. 'presence:node:' .. node) == 1
        and redis.call('EXISTS', prefix .. 'presence:leaving:' .. node) == 0 then
      elsewhere = elsewhere + tonumber(entries[i + 1])
    end
  end
  if cap > 0 and elsewhere + count > cap then return {${OVER_SOCKET_CAP}, elsewhere} end
end
local before = redis.call('HLEN', KEYS[1])
if count > 0 then
  redis.call('HSET', KEYS[1], ARGV[1], count)
  redis.call('SADD', KEYS[2], ARGV[2])
  if before == 0 then return {1, elsewhere} end
  return {0, elsewhere}
end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('SREM', KEYS[2], ARGV[2])
if before > 0 and redis.call('HLEN', KEYS[1]) == 0 then return {-1, 0} end
return {0, 0}
`;

/**
 * Replaces everything Redis holds for this node with its real counts (after
 * an outage, a failed command, or a sweep that took it for dead) and
 * refreshes its heartbeat. Returns {kept, back}: `kept` 1 when Redis still
 * knew this node (registered, or swept with its users reported offline), 0
 * when it had lost it (a restart without persistence: the other nodes may
 * have read this node's users offline meanwhile); `back`, the users to
 * announce online again: only when a sweep had reported this node's users
 * offline (its `reaped` mark), those of them online nowhere else until now.
 * After a Redis restart there is no mark, and no one was told anything.
 * KEYS: node's user set, heartbeat, node set, reaped mark. ARGV: nodeId, ttlMs, prefix, then userId, count pairs.
 */
export const SYNC_NODE = `
local node = ARGV[1]
local prefix = ARGV[3]
local known = redis.call('SISMEMBER', KEYS[3], node) == 1
local keep = {}
for i = 4, #ARGV, 2 do keep[ARGV[i]] = ARGV[i + 1] end
for _, uid in ipairs(redis.call('SMEMBERS', KEYS[1])) do
  if keep[uid] == nil then redis.call('HDEL', prefix .. 'presence:user:' .. uid, node) end
end
redis.call('DEL', KEYS[1])
local reaped = redis.call('DEL', KEYS[4]) == 1
local back = {}
for uid, count in pairs(keep) do
  local key = prefix .. 'presence:user:' .. uid
  if reaped and redis.call('HLEN', key) == 0 then table.insert(back, uid) end
  redis.call('HSET', key, node, count)
  redis.call('SADD', KEYS[1], uid)
end
redis.call('SET', KEYS[2], '1', 'PX', ARGV[2])
redis.call('SADD', KEYS[3], node)
if known or reaped then return {1, back} end
return {0, back}
`;

/**
 * Removes a node whose heartbeat expired and returns the users who are now
 * offline everywhere. Does nothing when the heartbeat is back (the node was
 * only slow), so a live node is never reaped. When it reports users offline
 * it marks the node reaped (for a day: a node paused longer is long gone),
 * so that the node, if it was only paused, announces them online again.
 * KEYS: node set. ARGV: prefix, dead nodeId.
 */
export const REAP_NODE = `
local prefix = ARGV[1]
local node = ARGV[2]
if redis.call('EXISTS', prefix .. 'presence:node:' .. node) == 1 then return {} end
local setKey = prefix .. 'presence:nodeusers:' .. node
local offline = {}
for _, uid in ipairs(redis.call('SMEMBERS', setKey)) do
  local key = prefix .. 'presence:user:' .. uid
  if redis.call('HDEL', key, node) == 1 and redis.call('HLEN', key) == 0 then
    table.insert(offline, uid)
  end
end
redis.call('DEL', setKey)
redis.call('SREM', KEYS[1], node)
if #offline > 0 then redis.call('SET', prefix .. 'presence:reaped:' .. node, '1', 'PX', 86400000) end
return offline
`;

// Unit tests format Python afresh: no cache from earlier runs may stand in for the formatter.
// (tests/unit/format-cache.test.ts tests the cache with a folder of its own.)
if (process.env.CFA_CACHE_DIR === undefined) process.env.CFA_CACHE_DIR = '';

"""Business logic per resource: pure functions over injected clients and table names.

Single-table keys (`pk`, `sk`):
- account of a caller:  pk `USER#<sub>`, sk `ACCOUNT`
- item of a caller:     pk `USER#<sub>`, sk `ITEM#<itemId>` (item ids start with the creation time, so
  sk order is creation order)
- hit counter:          pk `HITS#<ip>`, sk `REGION#<region>` (one counter per region, summed on read)
"""

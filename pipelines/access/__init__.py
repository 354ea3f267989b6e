"""Access: who may see what, and the record of what they saw.

Local accounts, roles and login counters (accounts), the user's area as a Scope (scope), masking of
names and ID numbers (masking), and the hash-chained audit log anchored in the transactional store
(audit, chain).
"""

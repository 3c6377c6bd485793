-- Quartz takes its row locks with SELECT ... FOR UPDATE and inserts a missing lock row on first use. Two first uses
-- racing on a new PostgreSQL database collide on that insert, and Quartz's retry rolls back the connection it was
-- handed, which is the command's own transaction. Seeding the rows removes the race.
-- ${quartz_scheduler} is spring.quartz.scheduler-name (see application.yml). A database that ran before this
-- migration may already have the rows (Quartz inserted them), hence NOT EXISTS.
INSERT INTO qrtz_locks (sched_name, lock_name)
SELECT '${quartz_scheduler}', 'TRIGGER_ACCESS'
WHERE NOT EXISTS (SELECT 1 FROM qrtz_locks WHERE sched_name = '${quartz_scheduler}' AND lock_name = 'TRIGGER_ACCESS');
INSERT INTO qrtz_locks (sched_name, lock_name)
SELECT '${quartz_scheduler}', 'STATE_ACCESS'
WHERE NOT EXISTS (SELECT 1 FROM qrtz_locks WHERE sched_name = '${quartz_scheduler}' AND lock_name = 'STATE_ACCESS');

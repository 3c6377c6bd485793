-- Quartz takes its row locks with SELECT ... FOR UPDATE and inserts a missing lock row on first use. Two first uses
-- racing on a new PostgreSQL database collide on that insert, and Quartz's retry rolls back the connection it was
-- handed, which is the command's own transaction. Seeding the rows removes the race.
-- ${quartz_scheduler} is spring.quartz.scheduler-name (see application.yml).
INSERT INTO qrtz_locks (sched_name, lock_name) VALUES ('${quartz_scheduler}', 'TRIGGER_ACCESS');
INSERT INTO qrtz_locks (sched_name, lock_name) VALUES ('${quartz_scheduler}', 'STATE_ACCESS');

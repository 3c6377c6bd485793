-- The H2 job store was created without indexes on Quartz's tables (PostgreSQL's V2 has Quartz's full set): every new
-- timer woke the scheduler, which then scanned the whole trigger table, so its CPU grew with the number of open
-- requests (issue 10). Only the indexes of the queries Quartz runs all the time: on H2 each index is rewritten by every
-- commit that touches its table, so the full set would cost every intake more than it saves.

-- acquiring due triggers: TRIGGER_STATE = 'WAITING' AND NEXT_FIRE_TIME <= ? ORDER BY NEXT_FIRE_TIME
CREATE INDEX IDX_QRTZ_T_NFT_ST
  ON QRTZ_TRIGGERS (SCHED_NAME, TRIGGER_STATE, NEXT_FIRE_TIME);
-- the misfire scan: MISFIRE_INSTR <> -1 AND NEXT_FIRE_TIME < ? AND TRIGGER_STATE = ?
CREATE INDEX IDX_QRTZ_T_NFT_ST_MISFIRE
  ON QRTZ_TRIGGERS (SCHED_NAME, MISFIRE_INSTR, NEXT_FIRE_TIME, TRIGGER_STATE);
-- the triggers of a job: deleting or replacing a timer
CREATE INDEX IDX_QRTZ_T_J
  ON QRTZ_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);
-- fired triggers by instance (recovery after a crash) and by job
CREATE INDEX IDX_QRTZ_FT_TRIG_INST_NAME
  ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, INSTANCE_NAME);
CREATE INDEX IDX_QRTZ_FT_J_G
  ON QRTZ_FIRED_TRIGGERS (SCHED_NAME, JOB_NAME, JOB_GROUP);

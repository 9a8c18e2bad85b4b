-- Commands sent without waiting (the submitCommand signal), as the API sent them: which complaint,
-- which command id and name, when. A status read while the complaint's worker is away answers
-- "pending" from here, not by reading the complaint's whole history. Never the command's body.
CREATE TABLE submitted_commands (
  complaint_id  text NOT NULL,
  command_id    text NOT NULL,
  command       text NOT NULL,
  submitted_at  timestamptz NOT NULL DEFAULT now(),
  PRIMARY KEY (complaint_id, command_id)
);

-- The DataStore converts a file's cells to their columns' types in SQL, in one INSERT … SELECT over
-- the staged text: a cell that does not fit calls this, which stops the statement and names the
-- file row and the column, so the officer reads where the file is wrong (SQLSTATE DS001, DETAIL "row,column").
CREATE OR REPLACE FUNCTION datastore_bad_cell(file_row bigint, column_index integer) RETURNS text
  LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'a cell does not fit its column' USING ERRCODE = 'DS001', DETAIL = file_row || ',' || column_index;
END
$$;

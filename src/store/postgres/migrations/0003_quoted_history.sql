-- The quoted history under a case's description (SQLite's migration 0011):
-- what the customer's mail client quoted below their own text. `show` prints
-- it collapsed; its words join the case's search words as it is written.
ALTER TABLE cases ADD COLUMN quoted TEXT NOT NULL DEFAULT '';

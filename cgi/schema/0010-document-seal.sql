-- 0010-document-seal.sql: each issued document's seal, the SHA-256 of its
-- canonical content chained to the seal before it in its series (chain.c).
-- The seal is written in the issuing transaction, never changed; verify
-- recomputes every one from the stored documents.  Documents issued before
-- this migration are sealed by the next reckonctl run (chain_seal_missing).
CREATE TABLE document_seal (
	document_id	INTEGER PRIMARY KEY REFERENCES document(id),
	hash		TEXT NOT NULL CHECK (length(hash) = 64 AND
			    hash NOT GLOB '*[^0-9a-f]*')
);
CREATE TRIGGER document_seal_no_update BEFORE UPDATE ON document_seal
BEGIN SELECT RAISE(ABORT, 'document seals are immutable'); END;
CREATE TRIGGER document_seal_no_delete BEFORE DELETE ON document_seal
BEGIN SELECT RAISE(ABORT, 'document seals are immutable'); END;

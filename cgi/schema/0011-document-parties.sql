-- 0011-document-parties.sql: what a structured e-invoice (UBL, EN 16931)
-- needs of the parties beyond the printed address: the seller's address in
-- parts, its contact and company registration; the buyer's reference
-- (BT-10, a Leitweg-ID or order reference) on the billing details; and for
-- each document issued from now on the parties' parts as they were at
-- issue, beside the printed address.  Documents issued before have none:
-- their e-invoice takes the parts from the printed address.
ALTER TABLE seller ADD COLUMN street TEXT NOT NULL DEFAULT '';
ALTER TABLE seller ADD COLUMN city TEXT NOT NULL DEFAULT '';
ALTER TABLE seller ADD COLUMN postal_code TEXT NOT NULL DEFAULT '';
ALTER TABLE seller ADD COLUMN email TEXT NOT NULL DEFAULT '';
ALTER TABLE seller ADD COLUMN phone TEXT NOT NULL DEFAULT '';
ALTER TABLE seller ADD COLUMN registration TEXT NOT NULL DEFAULT '';
ALTER TABLE organization ADD COLUMN buyer_reference TEXT NOT NULL DEFAULT '';

CREATE TABLE document_party (
	document_id		INTEGER PRIMARY KEY REFERENCES document(id),
	seller_street		TEXT NOT NULL,
	seller_city		TEXT NOT NULL,
	seller_postal_code	TEXT NOT NULL,
	seller_email		TEXT NOT NULL,
	seller_phone		TEXT NOT NULL,
	seller_registration	TEXT NOT NULL,
	buyer_street		TEXT NOT NULL,
	buyer_street2		TEXT NOT NULL,
	buyer_city		TEXT NOT NULL,
	buyer_postal_code	TEXT NOT NULL,
	buyer_region		TEXT NOT NULL,
	buyer_email		TEXT NOT NULL,
	buyer_reference		TEXT NOT NULL
);
CREATE TRIGGER document_party_no_update BEFORE UPDATE ON document_party
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;
CREATE TRIGGER document_party_no_delete BEFORE DELETE ON document_party
BEGIN SELECT RAISE(ABORT, 'issued documents are immutable'); END;

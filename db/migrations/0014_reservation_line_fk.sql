ALTER TABLE "reservation_lines" DROP CONSTRAINT "reservation_lines_reservation_id_reservations_id_fk";

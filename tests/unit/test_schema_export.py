from scripts.export_schema import TARGET, render


def test_the_spa_reads_the_same_booking_rules_as_the_api() -> None:
    # Regenerate with `python -m scripts.export_schema` after changing models.BookingRequest.
    assert TARGET.read_text() == render()

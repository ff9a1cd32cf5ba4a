"""Masking of personal numbers: cards, mobile phones and ID numbers, alone or inside free text."""

from __future__ import annotations

from bot.core.patterns import CARD_NUMBER, ID_NUMBER, PHONE


def mask_card(number: str) -> str:
    """「尾号1234」-style reference to a card that never shows the full number."""
    return f"尾号{number[-4:]}"


def mask_phone(phone: str) -> str:
    """138****5678: keep the first three and last four digits."""
    if len(phone) < 8:
        return "*" * len(phone)
    return f"{phone[:3]}{'*' * (len(phone) - 7)}{phone[-4:]}"


def mask_id(id_number: str) -> str:
    """1101**********123X: keep the first four and last four characters."""
    if len(id_number) <= 8:
        return "*" * (len(id_number) - 4) + id_number[-4:]
    return f"{id_number[:4]}{'*' * (len(id_number) - 8)}{id_number[-4:]}"


def mask_numbers(text: str) -> str:
    """Mask ID-card numbers, bank-card numbers (all but the last 4 digits) and mobile numbers (138****5678)."""
    text = ID_NUMBER.sub(lambda m: mask_id(m.group()), text)
    text = CARD_NUMBER.sub(lambda m: "*" * (len(m.group()) - 4) + m.group()[-4:], text)
    return PHONE.sub(lambda m: mask_phone(m.group()), text)

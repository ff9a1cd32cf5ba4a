"""Errors of the account services, each with a message that can be shown to the customer."""

from __future__ import annotations


class AccountServiceError(Exception):
    """A request the service refuses; `code` is for the bot, `message` (Chinese) for the customer."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class CardNotFoundError(AccountServiceError):
    """The card does not exist or belongs to someone else."""

    def __init__(self) -> None:
        super().__init__("card_not_found", "没有找到您名下的这张卡，请核对卡号后四位。")


class ClaimRejectedError(AccountServiceError):
    """A claim that cannot be filed against the policy."""

"""Why a file could not be read, in words a district official understands.

Every refusal is an ``ExtractError`` carrying one Vietnamese and one English
sentence; ``str(e)`` is the single line the command line prints.  Subclasses
say *what kind* of refusal it was, so the pipeline can decide (retry a
timeout, never retry a corrupt file) without parsing messages.
"""
from __future__ import annotations

from pathlib import Path


class ExtractError(Exception):
    message_vi = "Không đọc được tệp"
    message_en = "The file could not be read"

    def __init__(self, path: str | Path, message_vi: str | None = None,
                 message_en: str | None = None, detail: str | None = None):
        self.path = str(path)
        self.message_vi = message_vi or type(self).message_vi
        self.message_en = message_en or type(self).message_en
        self.detail = detail      # technical cause, for logs only
        super().__init__(str(self))

    def __str__(self) -> str:
        return f"{self.path}: {self.message_vi} / {self.message_en}"

    def __reduce__(self):  # keep subclasses picklable across processes
        return (type(self), (self.path, self.message_vi, self.message_en, self.detail))


class EmptyFile(ExtractError):
    message_vi = "Tệp rỗng, không có nội dung"
    message_en = "The file is empty"


class CorruptFile(ExtractError):
    message_vi = "Tệp bị hỏng, không mở được"
    message_en = "The file is damaged and cannot be opened"


class EncryptedFile(ExtractError):
    message_vi = "Tệp có mật khẩu, không mở được"
    message_en = "The file is password-protected"


class UnsupportedType(ExtractError):
    message_vi = "Loại tệp không được hỗ trợ (cần Word, PDF, ảnh chụp hoặc văn bản)"
    message_en = "Unsupported file type (expected Word, PDF, image or text)"


class TooLarge(ExtractError):
    message_vi = "Tệp quá lớn"
    message_en = "The file is too large"


class UnsafeFile(ExtractError):
    message_vi = "Tệp có cấu trúc bất thường, có thể không an toàn, đã từ chối"
    message_en = "The file has an abnormal structure and may be unsafe; refused"


class ToolMissing(ExtractError):
    message_vi = "Máy chưa cài công cụ cần thiết để đọc tệp này"
    message_en = "A tool needed to read this file is not installed"


class ToolTimeout(ExtractError):
    message_vi = "Đọc tệp quá lâu, đã dừng"
    message_en = "Reading the file took too long and was stopped"

"""What leaves the office: the ranking, the approval decision, exports, the Word kit."""

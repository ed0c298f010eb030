"""Part 10: notices with receipts and required measures, tasks with deadlines, supervision visits and follow-ups, problem lists."""

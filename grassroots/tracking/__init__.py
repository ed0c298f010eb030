"""Tasks with deadlines, responsible persons and progress reports, rolled up: the one engine behind rectification measures, assistance task books, supervision tasks and guarantee shortfalls."""

from grassroots.core.todos import Todo


def lines(user, org, today):
    return [Todo("试验", f"{org.short_name or org.name}待办的试验事项", 3, "/throwaway/"), Todo("试验", "没有待办的一行", 0, "/throwaway/")]

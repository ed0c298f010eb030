"""The synthetic Changzhou-shaped dataset (`manage.py generate_dataset`): the demo that `make run` loads and the
city-scale data the benchmarks use. It sits above every app: it builds the tree and members itself and then runs
each app's `synthetic.generate_demo` (found through the app registry, in `demo_after` order)."""

"""Documents made from the core's public figures: handouts (PDF) and the lägesbild (Word)."""

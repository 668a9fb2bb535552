"""The drug directory's business rules, by sub-topic: reviews and safety notices."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from harbour.evidence import classifier
from harbour.evidence.indicators import Indicators


class Command(BaseCommand):
    help = (
        "Precision and recall per indicator family on a labelled JSONL file: the rules, and the classifier if trained."
    )

    def add_arguments(self, parser):
        parser.add_argument("labelled")
        parser.add_argument("--model", default=str(settings.VAR_DIR / "evidence-classifier.joblib"))
        parser.add_argument("--rules-only", action="store_true")

    def handle(self, *args, labelled, model, rules_only, **options):
        try:
            texts, truth = classifier.read_labelled(labelled)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        rules = Indicators.load()
        families = [f.key for f in rules.families]
        self.stdout.write(f"Rules ({len(texts)} labelled lines)")
        self.stdout.write(
            classifier.format_scores(classifier.score(truth, classifier.predict_rules(texts, rules), families))
        )
        if rules_only:
            return
        try:
            trained = classifier.load(model)
        except FileNotFoundError:
            self.stdout.write(
                f"No classifier at {model}: run `harbour evidence-train` first (the rules work without it)."
            )
            return
        self.stdout.write("\nClassifier")
        predicted = classifier.predict(trained, texts)
        self.stdout.write(classifier.format_scores(classifier.score(truth, predicted, families)))

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from harbour.evidence import classifier


class Command(BaseCommand):
    help = "Train the optional indicator classifier (TF-IDF + logistic regression) from a labelled JSONL file."

    def add_arguments(self, parser):
        parser.add_argument("labelled", help='JSONL: {"text": "...", "labels": ["secrecy", ...]} per line')
        parser.add_argument("--model", default=str(settings.VAR_DIR / "evidence-classifier.joblib"))

    def handle(self, *args, labelled, model, **options):
        try:
            texts, labels = classifier.read_labelled(labelled)
        except (OSError, ValueError) as exc:
            raise CommandError(str(exc)) from None
        if len({f for row in labels for f in row}) < 1 or len(texts) < 10:
            raise CommandError("Need at least 10 labelled lines and one family to train.")
        trained = classifier.train(texts, labels)
        classifier.save(trained, model)
        self.stdout.write(f"Trained on {len(texts)} lines, {len(trained['families'])} families; saved to {model}")

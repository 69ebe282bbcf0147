"""Run the FastAGI server of the automated hotline (the Procfile's `hotline` line)."""

import asyncio
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from hotline.agi import Server, Settings
from hotline.service import DjangoRecords
from hotline.speech import Voice


class Command(BaseCommand):
    help = "Serve FastAGI for Asterisk: AGI(agi://host:4573/motcua)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--host", default=settings.HOTLINE_HOST)
        parser.add_argument("--port", type=int, default=settings.HOTLINE_PORT)
        parser.add_argument(
            "--prepare", action="store_true", help="make every fixed prompt's audio first"
        )

    def handle(self, *args: Any, host: str, port: int, prepare: bool, **options: Any) -> None:
        voice = Voice(settings.HOTLINE_AUDIO_DIR, settings.HOTLINE_RECORDINGS_DIR)
        if prepare:
            self.stdout.write(f"{voice.prepare()} audio pieces ready in {voice.cache_dir}")
        conf = Settings(extension=settings.HOTLINE_TRANSFER_EXTENSION, now=timezone.now)
        server = Server(voice, DjangoRecords(), conf)

        async def main() -> None:
            listener = await server.start(host, port)
            self.stdout.write(f"hotline FastAGI on {host}:{port}/motcua", ending="\n")
            self.stdout.flush()
            async with listener:
                await listener.serve_forever()

        asyncio.run(main())

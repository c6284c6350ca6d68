"""database_calls: the joins' reads go to the database thread together, each with its own outcome."""
import asyncio
import threading
from unittest import IsolatedAsyncioTestCase, mock

from sessions_app.realtime import database_calls


class DatabaseCallsTests(IsolatedAsyncioTestCase):
    def setUp(self):
        self.hops = 0
        run_all = database_calls._run_all

        def counted(calls):
            self.hops += 1
            return run_all(calls)

        patcher = mock.patch.object(database_calls, "_run_all", counted)
        patcher.start()
        self.addCleanup(patcher.stop)

    async def test_calls_made_together_share_one_hop_off_the_loop(self):
        results = await asyncio.gather(*(database_calls.run(lambda n=n: (n, threading.get_ident())) for n in range(10)))
        self.assertEqual([n for n, _ in results], list(range(10)))
        self.assertEqual(self.hops, 1)
        self.assertNotIn(threading.get_ident(), {thread for _, thread in results})
        self.assertEqual(await database_calls.run(divmod, 7, 2), (3, 1))  # a later call: a hop of its own
        self.assertEqual(self.hops, 2)

    async def test_an_error_is_raised_in_its_own_caller_only(self):
        def fails():
            raise LookupError("no such session")

        outcomes = await asyncio.gather(database_calls.run(len, "ab"), database_calls.run(fails),
                                        database_calls.run(len, "abc"), return_exceptions=True)
        self.assertEqual(outcomes[0], 2)
        self.assertIsInstance(outcomes[1], LookupError)
        self.assertEqual(outcomes[2], 3)
        self.assertEqual(self.hops, 1)

    async def test_a_caller_cancelled_mid_hop_strands_no_other(self):
        started, release = threading.Event(), threading.Event()

        def slow():
            started.set()
            release.wait(5)
            return "slow"

        first = asyncio.ensure_future(database_calls.run(slow))
        second = asyncio.ensure_future(database_calls.run(len, "abcd"))
        await asyncio.get_running_loop().run_in_executor(None, started.wait, 5)
        third = asyncio.ensure_future(database_calls.run(len, "xyz"))  # waits for the next hop
        first.cancel()
        release.set()
        self.assertEqual(await asyncio.wait_for(second, 5), 4)
        self.assertEqual(await asyncio.wait_for(third, 5), 3)
        self.assertTrue(first.cancelled())
        self.assertEqual(self.hops, 2)

// Drives the published client through every Data API action against DATA_API_URL with DATA_API_KEY, and prints
// what each call resolved to (or, for the refused calls, the HTTP status it was rejected with) as one JSON line.
const { createMongoDBDataAPI } = require('mongodb-data-api');

const urlEndpoint = process.env.DATA_API_URL;
const tasks = createMongoDBDataAPI({ apiKey: process.env.DATA_API_KEY, urlEndpoint })
  .$cluster('mongodb-atlas').$database('learn-data-api').$collection('tasks');

async function status(call) {
  try {
    await call();
    return 'resolved';
  } catch (error) {
    return error.status;
  }
}

(async () => {
  const out = {};
  out.insertOne = await tasks.insertOne({ document: { status: 'open', text: 'Do the dishes' } });
  out.insertMany = await tasks.insertMany({
    documents: [{ status: 'open', text: 'Mop the floor' }, { status: 'open', text: 'Clean the windows' }],
  });
  out.findOne = await tasks.findOne({ filter: { text: 'Do the dishes' }, projection: { _id: 0, text: 1 } });
  out.find = await tasks.find({
    filter: { status: 'open' }, projection: { _id: 0, text: 1 }, sort: { text: 1 }, limit: 10, skip: 1,
  });
  out.updateOne = await tasks.updateOne({ filter: { text: 'Do the dishes' }, update: { $set: { status: 'complete' } } });
  out.updateMany = await tasks.updateMany({ filter: { status: 'open' }, update: { $set: { status: 'complete' } } });
  out.replaceOne = await tasks.replaceOne({
    filter: { text: 'Clean the windows' }, replacement: { status: 'open', text: 'Re-clean the windows' },
  });
  out.aggregate = await tasks.aggregate({
    pipeline: [{ $match: { status: 'complete' } }, { $group: { _id: '$status', count: { $sum: 1 } } }],
  });
  out.deleteOne = await tasks.deleteOne({ filter: { _id: { $oid: out.insertOne.insertedId } } });
  out.deleteMany = await tasks.deleteMany({ filter: {} });
  out.wrongKey = await status(() => createMongoDBDataAPI({ apiKey: 'not-a-key', urlEndpoint })
    .findOne({ dataSource: 'mongodb-atlas', database: 'learn-data-api', collection: 'tasks', filter: {} }));
  out.forbiddenOperator = await status(() => tasks.find({ filter: { $where: 'true' } }));
  console.log(JSON.stringify(out));
})().catch((error) => {
  console.error(JSON.stringify(error));
  process.exit(1);
});
